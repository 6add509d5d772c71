// The 新生儿出生 questionnaire and merged form as a SurveyJS model, built
// from the same catalog Banshi runs: /newborn.json is the edge's
// GET /api/events/newborn, saved by tests/bench/compare.mjs when the bench
// starts, so the two apps never drift apart. Page 1: the situation
// questions, with the items that apply shown as the answers change (like
// Banshi's result page); page 2: the merged form. The same conditions
// (applies_when/ask_when → visibleIf; a field shows when one of its items
// applies) and the same validation rules as core/src/validate/.
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

// A catalog Condition (core/src/catalog/model.rs) as a SurveyJS expression.
function expr(c) {
  if (!c) return undefined;
  var lit = function (v) { return typeof v === 'string' ? "'" + v + "'" : String(v); };
  if (c.all) return c.all.map(function (x) { return '(' + expr(x) + ')'; }).join(' and ');
  if (c.any) return c.any.map(function (x) { return '(' + expr(x) + ')'; }).join(' or ');
  if (c.not) return '!(' + expr(c.not) + ')';
  if (c.equals) return '{' + c.equals.question + '} = ' + lit(c.equals.value);
  if (c.in) return '{' + c.in.question + '} anyof [' + c.in.values.map(lit).join(', ') + ']';
  if (c.includes) return '{' + c.includes.question + '} contains ' + lit(c.includes.value);
  if (c.range) {
    var r = [];
    if (c.range.min != null) r.push('{' + c.range.question + '} >= ' + c.range.min);
    if (c.range.max != null) r.push('{' + c.range.question + '} <= ' + c.range.max);
    return r.join(' and ') || 'true';
  }
  // Conditions on ages or e-certificates need the resident's profile, which
  // a SurveyJS page does not have: shown.
  return 'true';
}

var NAME = { type: 'regex', regex: '^[\\u3400-\\u9fff·]{2,20}$', text: '应为2到20个汉字，与身份证上一致' };

function question(q) {
  var base = { name: q.id, title: q.text.zh, description: q.help && q.help.zh, isRequired: true, visibleIf: expr(q.ask_when) };
  if (q.kind === 'yes_no') return Object.assign(base, { type: 'boolean', labelTrue: '是', labelFalse: '否', renderAs: 'radio' });
  if (q.kind === 'single') return Object.assign(base, { type: 'radiogroup', choices: q.options.map(function (o) { return { value: o.value, text: o.text.zh }; }) });
  if (q.kind === 'multiple') return Object.assign(base, { type: 'checkbox', isRequired: false, choices: q.options.map(function (o) { return { value: o.value, text: o.text.zh }; }) });
  if (q.kind === 'date') return Object.assign(base, { type: 'text', inputType: 'date' });
  return Object.assign(base, { type: 'text', inputType: 'number', min: q.min, max: q.max });
}

function field(f, visibleIf) {
  var title = f.label.zh + (f.required === false ? '（选填）' : '');
  var base = { name: f.key, title: title, description: f.help && f.help.zh, isRequired: f.required !== false, visibleIf: visibleIf };
  var self = '{' + f.key + '}';
  switch (f.kind) {
    case 'name': return Object.assign(base, { type: 'text', validators: [NAME] });
    case 'id_number': return Object.assign(base, { type: 'text', maxLength: 18,
      validators: [{ type: 'expression', expression: self + ' empty or idNumberOk(' + self + ')', text: '号码有误，请逐位核对' }] });
    case 'bank_card': return Object.assign(base, { type: 'text', inputType: 'tel',
      validators: [{ type: 'expression', expression: self + ' empty or bankCardOk(' + self + ')', text: '卡号有误，请逐位核对' }] });
    case 'mobile': return Object.assign(base, { type: 'text', inputType: 'tel',
      validators: [{ type: 'regex', regex: '^1[3-9]\\d{9}$', text: '应为11位手机号码，以1开头，例如 13800138000' }] });
    case 'credit_code': return Object.assign(base, { type: 'text', maxLength: 18,
      validators: [{ type: 'regex', regex: '^[0-9A-HJ-NPQRTUWXY]{2}\\d{6}[0-9A-HJ-NPQRTUWXY]{10}$', text: '应为18位统一社会信用代码' }] });
    case 'date': return Object.assign(base, { type: 'text', inputType: 'date', maxValueExpression: f.not_future ? 'today()' : undefined });
    case 'choice': return Object.assign(base, { type: 'radiogroup', choices: f.options.map(function (o) { return { value: o.value, text: o.text.zh }; }) });
    case 'number': return Object.assign(base, { type: 'text', inputType: 'number' });
    case 'address': return Object.assign(base, { type: 'comment', rows: 2, maxLength: f.max_chars || 200 });
    default: return Object.assign(base, { type: 'text', maxLength: f.max_chars || 200 });
  }
}

fetch('/newborn.json').then(function (r) { return r.json(); }).then(function (data) {
  var e = data.event || data; // the bundle (journey edge) or the bare event
  var applies = {};
  e.items.forEach(function (i) { applies[i.id] = expr(i.applies_when); });
  var fieldVisible = function (f) {
    var conds = f.items.map(function (id) { return applies[id]; });
    if (conds.some(function (c) { return !c; })) return undefined; // an item that always applies
    return conds.map(function (c) { return '(' + c + ')'; }).join(' or ');
  };
  var json = {
    locale: 'zh-cn',
    title: e.name.zh,
    showQuestionNumbers: 'off',
    checkErrorsMode: 'onValueChanged',
    pages: [
      { name: 'situation', elements: e.questions.map(question).concat([
        { type: 'panel', name: 'items', title: '根据您的回答，一次办好这些事项', elements: e.items.map(function (i) {
          return { type: 'html', name: 'item-' + i.id, html: '<p>' + i.name.zh + '</p>', visibleIf: applies[i.id] };
        }) },
      ]) },
      { name: 'form', title: '填写申请表', elements: e.fields.map(function (f) { return field(f, fieldVisible(f)); }) },
    ],
  };
  window.survey = new Survey.Model(json);
  window.survey.render(document.getElementById('survey'));
});
