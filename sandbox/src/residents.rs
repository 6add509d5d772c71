//! Seeded residents of the sandbox identity provider: a household with an
//! elderly parent, a newborn and a disabled relative, so proxy and guardian
//! journeys have someone to act for. ID numbers carry valid check characters.
//!
//! Two more households exist for 免申即享 (core's `offer` rules): one where
//! every rule finds someone (a child under three, a grandmother with a
//! disability certificate, a grandfather about to retire) and one where none
//! does (a child just over three, a father retiring in five months). Their
//! ages must hold on whatever day the sandbox runs, so those birth dates
//! follow the calendar (`DATED`), computed once at start from today in China.

use std::sync::OnceLock;

use banshi_core::offer::{retirement_date, PolicyRules};
use banshi_core::validate::IdNumber;
use chrono::{Duration, Months, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Resident {
    pub sub: &'static str,
    pub name: &'static str,
    pub id_number: &'static str,
    pub phone: &'static str,
    /// Who they are in the household, for the sign-in page.
    pub role: &'static str,
    /// E-certificate types (ids from core's ecerts.toml) they hold.
    pub ecerts: &'static [&'static str],
}

pub const RESIDENTS: &[Resident] = &[
    Resident {
        sub: "r-zhang-wei",
        name: "张伟",
        id_number: "110101198503074516",
        phone: "13800138000",
        role: "父亲，在职职工",
        ecerts: &[
            "resident-id-card",
            "household-register",
            "marriage-certificate",
            "social-security-card",
        ],
    },
    Resident {
        sub: "r-li-na",
        name: "李娜",
        id_number: "110101198706123023",
        phone: "13900139000",
        role: "母亲",
        ecerts: &[
            "resident-id-card",
            "household-register",
            "marriage-certificate",
        ],
    },
    Resident {
        sub: "r-zhang-xiaobao",
        name: "张小宝",
        id_number: "110101202401150011",
        phone: "13800138000",
        role: "孩子（2024年出生，父母为监护人）",
        ecerts: &["birth-medical-certificate", "household-register"],
    },
    Resident {
        sub: "r-wang-xiuying",
        name: "王秀英",
        id_number: "110101195209182029",
        phone: "13700137000",
        role: "奶奶，退休老人",
        ecerts: &[
            "resident-id-card",
            "household-register",
            "social-security-card",
        ],
    },
    Resident {
        sub: "r-zhao-min",
        name: "赵敏",
        id_number: "11010119800520201X",
        phone: "13600136000",
        role: "家中的残疾人亲属",
        ecerts: &["resident-id-card", "disability-certificate"],
    },
    Resident {
        sub: "r-chen-jie",
        name: "陈杰",
        id_number: "44030519900101123X",
        phone: "13500135000",
        role: "另一户居民（用于测试看不到别人的办件）",
        ecerts: &["resident-id-card"],
    },
    // 免申即享: the Liu household (every rule finds someone); 刘小禾 and
    // 刘建国 are in `DATED`.
    Resident {
        sub: "r-liu-yang",
        name: "刘洋",
        id_number: "110105199206184516",
        phone: "13300133000",
        role: "父亲，孩子未满3周岁（免申即享：育儿补贴、残疾人补贴）",
        ecerts: &["resident-id-card", "household-register"],
    },
    Resident {
        sub: "r-sun-li",
        name: "孙丽",
        id_number: "110105199409024520",
        phone: "13300133002",
        role: "母亲",
        ecerts: &["resident-id-card", "household-register"],
    },
    Resident {
        sub: "r-zhou-guilan",
        name: "周桂兰",
        id_number: "11010519620309452X",
        phone: "13300133004",
        role: "奶奶，持残疾人证，还没申请补贴",
        ecerts: &["resident-id-card", "disability-certificate"],
    },
    // 家人代办: the Sun household, one person for each side of the proxy
    // rules (an elderly principal; a son in scope, a daughter out of scope,
    // a daughter-in-law who is revoked, a grandson whose period runs out; a
    // father of an adult son and of a son turning 18 soon, who is in
    // `DATED`), and 钱进, outside the household, with a paper mandate.
    Resident {
        sub: "r-sun-xiulan",
        name: "孙秀兰",
        id_number: "110102195006120422",
        phone: "13100131000",
        role: "奶奶（家人代办：被代办的老人）",
        ecerts: &[
            "resident-id-card",
            "household-register",
            "social-security-card",
        ],
    },
    Resident {
        sub: "r-sun-qiang",
        name: "孙强",
        id_number: "110102197503080133",
        phone: "13100131001",
        role: "儿子（家人代办：替母亲办理，也是两个儿子的父亲）",
        ecerts: &["resident-id-card"],
    },
    Resident {
        sub: "r-zhou-li",
        name: "周丽",
        id_number: "110102197709210247",
        phone: "13100131002",
        role: "儿媳（家人代办：授权已被撤销）",
        ecerts: &["resident-id-card"],
    },
    Resident {
        sub: "r-sun-ming",
        name: "孙明",
        id_number: "110102200405150358",
        phone: "13100131003",
        role: "孙子，已成年（家人代办：授权已到期）",
        ecerts: &["resident-id-card"],
    },
    Resident {
        sub: "r-sun-yan",
        name: "孙燕",
        id_number: "11010219790102046X",
        phone: "13100131004",
        role: "女儿（家人代办：只授权了别的事）",
        ecerts: &["resident-id-card"],
    },
    Resident {
        sub: "r-qian-jin",
        name: "钱进",
        id_number: "110102197208300578",
        phone: "13100131006",
        role: "外甥，不在同一户（家人代办：纸质授权委托书）",
        ecerts: &["resident-id-card"],
    },
    // The He household (no rule finds anyone); 何军 and 何思琪 are in `DATED`.
    Resident {
        sub: "r-wu-fang",
        name: "吴芳",
        id_number: "110108198507214525",
        phone: "13200132001",
        role: "母亲（免申即享：不应有提醒）",
        ecerts: &["resident-id-card", "household-register"],
    },
    // 企业的事: 马军 leads a freight company (the register in `enterprises`);
    // his daughter 马丽 acts for it only once he authorises her.
    Resident {
        sub: "r-ma-jun",
        name: "马军",
        id_number: "440305197503123013",
        phone: "13700137001",
        role: "货运公司的法定代表人（家人代办：企业的事）",
        ecerts: &["resident-id-card", "business-licence"],
    },
    Resident {
        sub: "r-ma-li",
        name: "马丽",
        id_number: "440305200006083027",
        phone: "13700137002",
        role: "女儿（家人代办：替父亲的公司办事）",
        ecerts: &["resident-id-card"],
    },
];

/// A resident whose birth date is a function of today: the ID number is
/// composed from `region`, the birth date and `sequence` (odd for a man).
struct Dated {
    sub: &'static str,
    name: &'static str,
    phone: &'static str,
    role: &'static str,
    ecerts: &'static [&'static str],
    region: &'static str,
    sequence: u16,
    born: fn(NaiveDate) -> NaiveDate,
}

const CHAOYANG: &str = "110105";
const HAIDIAN: &str = "110108";
const XICHENG: &str = "110102";

const DATED: &[Dated] = &[
    Dated {
        sub: "r-sun-le",
        name: "孙乐",
        phone: "13100131005",
        role: "孩子，十天后满18周岁（家人代办：父母是监护人，到生日为止）",
        ecerts: &[],
        region: XICHENG,
        sequence: 15,
        born: |today| {
            (today + Duration::days(10))
                .checked_sub_months(Months::new(18 * 12))
                .expect("a date eighteen years ago")
        },
    },
    Dated {
        sub: "r-liu-xiaohe",
        name: "刘小禾",
        phone: "13300133001",
        role: "孩子（1岁多，未满3周岁，还没申请育儿补贴）",
        ecerts: &["birth-medical-certificate", "household-register"],
        region: CHAOYANG,
        sequence: 22,
        born: |today| today - Duration::days(420),
    },
    Dated {
        sub: "r-liu-jianguo",
        name: "刘建国",
        phone: "13300133003",
        role: "爷爷，一个多月后到法定退休年龄",
        ecerts: &["resident-id-card", "household-register"],
        region: CHAOYANG,
        sequence: 31,
        born: |today| born_to_retire_on(today + Duration::days(45)),
    },
    Dated {
        sub: "r-he-jun",
        name: "何军",
        phone: "13200132000",
        role: "父亲，五个月后才到退休年龄（免申即享：不应有提醒）",
        ecerts: &["resident-id-card", "household-register"],
        region: HAIDIAN,
        sequence: 51,
        born: |today| born_to_retire_on(today + Duration::days(150)),
    },
    Dated {
        sub: "r-he-siqi",
        name: "何思琪",
        phone: "13200132000",
        role: "孩子（刚满3周岁，不再领育儿补贴）",
        ecerts: &["birth-medical-certificate", "household-register"],
        region: HAIDIAN,
        sequence: 62,
        born: |today| {
            today
                .checked_sub_months(Months::new(36 + 2))
                .expect("a date three years and two months ago")
        },
    },
];

/// The birth date of a man whose statutory retirement day (core's rule) is
/// `day`, or the nearest one to it.
fn born_to_retire_on(day: NaiveDate) -> NaiveDate {
    let line = PolicyRules::embedded()
        .retirement_age
        .iter()
        .find(|l| l.sex == "male")
        .expect("policies.toml has a line for men");
    let earliest = day - Duration::days(365 * 64);
    (0..365 * 5)
        .map(|k| earliest + Duration::days(k))
        .min_by_key(|b| retirement_date(line, *b).map_or(i64::MAX, |r| (r - day).num_days().abs()))
        .expect("some birth date")
}

/// Today in China (UTC+8), the day the edge's rules use.
pub(crate) fn china_today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

/// Every seeded resident: `RESIDENTS`, then the dated ones.
pub fn all() -> &'static [Resident] {
    static ALL: OnceLock<Vec<Resident>> = OnceLock::new();
    ALL.get_or_init(|| {
        let today = china_today();
        let dated = DATED.iter().map(|d| Resident {
            sub: d.sub,
            name: d.name,
            id_number: Box::leak(
                IdNumber::compose(d.region, (d.born)(today), d.sequence).into_boxed_str(),
            ),
            phone: d.phone,
            role: d.role,
            ecerts: d.ecerts,
        });
        RESIDENTS.iter().cloned().chain(dated).collect()
    })
}

pub fn find(sub: &str) -> Option<&'static Resident> {
    all().iter().find(|r| r.sub == sub)
}

#[cfg(test)]
mod tests {
    use banshi_core::validate::IdNumber;

    #[test]
    fn every_seeded_id_number_is_valid() {
        let today = super::china_today();
        for r in super::all() {
            assert!(IdNumber::parse(r.id_number, today).is_ok(), "{}", r.name);
        }
        let subs: Vec<_> = super::all().iter().map(|r| r.sub).collect();
        let mut unique = subs.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), subs.len(), "a sub is seeded twice");
    }

    use chrono::Months;

    #[test]
    fn dated_residents_keep_their_ages_whatever_the_day() {
        let today = super::china_today();
        let birth = |sub| {
            IdNumber::parse(super::find(sub).unwrap().id_number, today)
                .unwrap()
                .birth_date()
        };
        let years = |sub| today.years_since(birth(sub)).unwrap();
        assert!(years("r-liu-xiaohe") < 3);
        // 孙乐 turns 18 in ten days.
        let eighteenth = birth("r-sun-le")
            .checked_add_months(Months::new(18 * 12))
            .unwrap();
        assert_eq!((eighteenth - today).num_days(), 10);
        assert_eq!(years("r-he-siqi"), 3);
        let male = banshi_core::offer::PolicyRules::embedded()
            .retirement_age
            .iter()
            .find(|l| l.sex == "male")
            .unwrap();
        let retires = |sub| {
            let d = banshi_core::offer::retirement_date(male, birth(sub)).unwrap();
            (d - today).num_days()
        };
        assert!(
            (30..=60).contains(&retires("r-liu-jianguo")),
            "{}",
            retires("r-liu-jianguo")
        );
        assert!(
            (130..=170).contains(&retires("r-he-jun")),
            "{}",
            retires("r-he-jun")
        );
    }
}
