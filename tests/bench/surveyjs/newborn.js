// core/catalog/events/newborn.toml as a SurveyJS model: the five situation
// questions (page 1, with the items that apply shown as the answers change,
// like Banshi's result page) and the merged form (page 2), with the same
// conditions (items.applies_when → visibleIf; a field shows when one of its
// items applies) and the same validation rules as core/src/validate/.
'use strict';

// core/src/validate/id_number.rs: 18 characters, region, birth date, MOD 11-2.
Survey.FunctionFactory.Instance.register('idNumberOk', function (params) {
  var s = String(params[0] || '').trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(s)) return false;
  var p = +s.slice(0, 2);
  if (!((p >= 11 && p <= 15) || (p >= 21 && p <= 23) || (p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
        (p >= 50 && p <= 54) || (p >= 61 && p <= 65) || p === 71 || (p >= 81 && p <= 83))) return false;
  var y = +s.slice(6, 10), m = +s.slice(10, 12), d = +s.slice(12, 14);
  var birth = new Date(y, m - 1, d);
  if (birth.getFullYear() !== y || birth.getMonth() !== m - 1 || birth.getDate() !== d) return false;
  if (birth > new Date() || y < 1850) return false;
  var w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2], sum = 0;
  for (var i = 0; i < 17; i++) sum += (+s[i]) * w[i];
  return '10X98765432'[sum % 11] === s[17];
});
// core/src/validate/bank_card.rs: 12–19 digits, Luhn.
Survey.FunctionFactory.Instance.register('bankCardOk', function (params) {
  var s = String(params[0] || '').replace(/ /g, '');
  if (!/^\d{12,19}$/.test(s)) return false;
  var sum = 0;
  for (var i = 0; i < s.length; i++) {
    var n = +s[s.length - 1 - i];
    if (i % 2 === 1) { n *= 2; if (n > 9) n -= 9; }
    sum += n;
  }
  return sum % 10 === 0;
});

var NAME = { type: 'regex', regex: '^[\\u3400-\\u9fff·]{2,20}$', text: '应为2到20个汉字，与身份证上一致' };
function idNumber(name, title, required) {
  return { type: 'text', name: name, title: title, isRequired: required, maxLength: 18,
    validators: [{ type: 'expression', expression: '{' + name + '} empty or idNumberOk({' + name + '})',
      text: '号码有误，请逐位核对' }] };
}
function item(name, text, visibleIf) {
  return { type: 'html', name: 'item-' + name, html: '<p>' + text + '</p>', visibleIf: visibleIf };
}

var json = {
  locale: 'zh-cn',
  title: '新生儿出生',
  showQuestionNumbers: 'off',
  checkErrorsMode: 'onValueChanged',
  pages: [
    { name: 'situation', title: '回答几个问题', elements: [
      { type: 'boolean', name: 'born-in-hospital', title: '宝宝是在本省有接生资格的医院出生的吗？', isRequired: true, labelTrue: '是', labelFalse: '否', renderAs: 'radio',
        description: '一起办的前提是在本省有资格的医院出生、第一次领出生医学证明。' },
      { type: 'boolean', name: 'parents-married', title: '宝宝的爸爸妈妈领了结婚证吗？', isRequired: true, labelTrue: '是', labelFalse: '否', renderAs: 'radio',
        description: '没有结婚证也能给宝宝上户口，要交一份非婚生育说明。' },
      { type: 'radiogroup', name: 'register-with', title: '宝宝的户口上在谁那里？', isRequired: true,
        description: '可以随爸爸，也可以随妈妈，自愿选择。',
        choices: [{ value: 'father', text: '随爸爸' }, { value: 'mother', text: '随妈妈' }] },
      { type: 'boolean', name: 'parents-same-ethnicity', title: '爸爸妈妈是同一个民族吗？', isRequired: true, labelTrue: '是', labelFalse: '否', renderAs: 'radio',
        description: '不是同一个民族的，要在父母共同的书面申请里写明宝宝登记哪个民族。' },
      { type: 'radiogroup', name: 'mother-insurance', title: '妈妈参加的是哪种医保？', isRequired: true,
        description: '有工作单位、参加职工医保（生育保险）的，可以领生育津贴。',
        choices: [{ value: 'employee', text: '职工医保（单位交的）' }, { value: 'resident', text: '城乡居民医保' }, { value: 'other', text: '没有参保或不清楚' }] },
      { type: 'panel', name: 'items', title: '根据您的回答，一次办好这些事项', elements: [
        item('birth-registration', '生育登记'),
        item('birth-cert', '出生医学证明', '{born-in-hospital} = true'),
        item('vaccination-cert', '预防接种证'),
        item('hukou', '户口登记'),
        item('resident-insurance', '城乡居民医保参保登记'),
        item('insurance-premium', '医保缴费'),
        item('ssc-apply', '社会保障卡申领'),
        item('maternity-allowance', '生育津贴', "{mother-insurance} = 'employee'"),
        item('parenting-guidance', '育儿指导'),
      ] },
    ] },
    { name: 'form', title: '填写申请表', elements: [
      { type: 'text', name: 'child.name', title: '宝宝姓名', isRequired: true, validators: [NAME],
        description: '出生医学证明打印后，名字原则上不能再改，请仔细核对。' },
      { type: 'radiogroup', name: 'child.sex', title: '宝宝性别', isRequired: true, choices: [{ value: 'male', text: '男' }, { value: 'female', text: '女' }] },
      { type: 'text', inputType: 'date', name: 'child.birth_date', title: '宝宝出生日期', isRequired: true, maxValueExpression: 'today()' },
      { type: 'text', name: 'mother.name', title: '妈妈姓名', isRequired: true, validators: [NAME],
        description: '默认填的是申请人本人；爸爸来申请的，请改成妈妈的名字。' },
      idNumber('mother.id_number', '妈妈身份证号码', true),
      { type: 'text', name: 'father.name', title: '爸爸姓名（选填）', validators: [NAME] },
      idNumber('father.id_number', '爸爸身份证号码（选填）', false),
      { type: 'text', name: 'household.head_name', title: '宝宝上户口那一户的户主姓名', isRequired: true, validators: [NAME] },
      { type: 'comment', name: 'child.insurance_address', title: '宝宝参加医保的地址', isRequired: true, maxLength: 100, rows: 2 },
      { type: 'text', name: 'mother.bank_card', title: '妈妈本人的银行卡号（领生育津贴）', isRequired: true, inputType: 'tel',
        visibleIf: "{mother-insurance} = 'employee'",
        validators: [{ type: 'expression', expression: 'bankCardOk({mother.bank_card})', text: '卡号有误，请逐位核对' }] },
      { type: 'text', name: 'applicant.phone', title: '手机号码', isRequired: true, inputType: 'tel',
        validators: [{ type: 'regex', regex: '^1[3-9]\\d{9}$', text: '应为11位手机号码，以1开头，例如 13800138000' }] },
    ] },
  ],
};

window.survey = new Survey.Model(json);
window.survey.render(document.getElementById('survey'));
