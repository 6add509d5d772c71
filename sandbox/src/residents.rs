//! Seeded residents of the sandbox identity provider: a household with an
//! elderly parent, a newborn and a disabled relative, so proxy and guardian
//! journeys have someone to act for. ID numbers carry valid check characters.

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
];

pub fn find(sub: &str) -> Option<&'static Resident> {
    RESIDENTS.iter().find(|r| r.sub == sub)
}

#[cfg(test)]
mod tests {
    use banshi_core::validate::IdNumber;
    use chrono::NaiveDate;

    #[test]
    fn every_seeded_id_number_is_valid() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        for r in super::RESIDENTS {
            assert!(IdNumber::parse(r.id_number, today).is_ok(), "{}", r.name);
        }
    }
}
