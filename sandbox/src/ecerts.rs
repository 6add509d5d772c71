//! The e-certificate platform (电子证照库): releases a seeded resident's
//! certificates, only for a stated purpose (a catalog event), and logs every
//! release so tests can check that the edge named one. The certificates are
//! seed data below, one row per certificate a resident in `residents` holds.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use banshi_core::platform::{Certificate, CertificateList};
use banshi_core::Catalog;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::residents::{self, Resident};
use crate::{wire, AppState};

/// One certificate of the seed: the holder comes from `residents`. For a
/// resident whose birth date follows the calendar (`residents::DATED`), an
/// empty `number` stands for the holder's ID number and a field value
/// `BIRTH_DATE` for the holder's birth date.
struct Seed {
    sub: &'static str,
    kind: &'static str,
    number: &'static str,
    issuer: &'static str,
    issued_on: NaiveDate,
    fields: &'static [(&'static str, &'static str)],
}

/// Checked while compiling: a bad seed date is a build error, not a panic.
const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(d) => d,
        None => panic!("invalid seed date"),
    }
}

const ZHANG_ADDRESS: &str = "北京市东城区和平里街道和平里东街11号院3号楼2单元501室";
const ZHANG_HUKOU: &[(&str, &str)] = &[("address", ZHANG_ADDRESS), ("household_head", "张伟")];
const ZHANG_HUKOU_NUMBER: &str = "110101-011023456";
const ZHANG_HUKOU_ISSUER: &str = "北京市公安局东城分局和平里派出所";
const ID_ISSUER_DONGCHENG: &str = "北京市公安局东城分局";
/// Both spouses' certificates carry the one registration number.
const ZHANG_LI_MARRIAGE: &str = "J110101-2012-004127";

const BIRTH_DATE: &str = "{birth_date}";
const HOLDER_ID: &str = "";

const LIU_ADDRESS: &str = "北京市朝阳区望京街道望京西园三区312号楼1单元802室";
const LIU_HUKOU: &[(&str, &str)] = &[("address", LIU_ADDRESS), ("household_head", "刘洋")];
const LIU_HUKOU_NUMBER: &str = "110105-021087345";
const LIU_HUKOU_ISSUER: &str = "北京市公安局朝阳分局望京派出所";
const HE_ADDRESS: &str = "北京市海淀区中关村街道科育小区6号楼3单元401室";
const HE_HUKOU: &[(&str, &str)] = &[("address", HE_ADDRESS), ("household_head", "何军")];
const HE_HUKOU_NUMBER: &str = "110108-033125790";
const HE_HUKOU_ISSUER: &str = "北京市公安局海淀分局中关村派出所";

const MA_ADDRESS: &str = "广东省深圳市南山区桃源街道龙珠四路2号方大城1栋1203室";

const SUN_ADDRESS: &str = "北京市西城区新街口街道前公用胡同8号院2号楼302室";
const SUN_HUKOU: &[(&str, &str)] = &[("address", SUN_ADDRESS), ("household_head", "孙强")];
const ID_ISSUER_XICHENG: &str = "北京市公安局西城分局";

const SEEDS: &[Seed] = &[
    // 张伟
    Seed {
        sub: "r-zhang-wei",
        kind: "resident-id-card",
        number: "110101198503074516",
        issuer: ID_ISSUER_DONGCHENG,
        issued_on: date(2015, 4, 10),
        fields: &[("address", ZHANG_ADDRESS)],
    },
    Seed {
        sub: "r-zhang-wei",
        kind: "household-register",
        number: ZHANG_HUKOU_NUMBER,
        issuer: ZHANG_HUKOU_ISSUER,
        issued_on: date(2013, 5, 20),
        fields: ZHANG_HUKOU,
    },
    Seed {
        sub: "r-zhang-wei",
        kind: "marriage-certificate",
        number: ZHANG_LI_MARRIAGE,
        issuer: "东城区民政局婚姻登记处",
        issued_on: date(2012, 10, 8),
        fields: &[
            ("spouse_name", "李娜"),
            ("spouse_id_number", "110101198706123023"),
        ],
    },
    Seed {
        sub: "r-zhang-wei",
        kind: "social-security-card",
        number: "110101198503074516",
        issuer: "北京市人力资源和社会保障局",
        issued_on: date(2016, 3, 1),
        fields: &[("card_number", "A03245817")],
    },
    // 李娜
    Seed {
        sub: "r-li-na",
        kind: "resident-id-card",
        number: "110101198706123023",
        issuer: ID_ISSUER_DONGCHENG,
        issued_on: date(2017, 8, 15),
        fields: &[("address", ZHANG_ADDRESS)],
    },
    Seed {
        sub: "r-li-na",
        kind: "household-register",
        number: ZHANG_HUKOU_NUMBER,
        issuer: ZHANG_HUKOU_ISSUER,
        issued_on: date(2013, 5, 20),
        fields: ZHANG_HUKOU,
    },
    Seed {
        sub: "r-li-na",
        kind: "marriage-certificate",
        number: ZHANG_LI_MARRIAGE,
        issuer: "东城区民政局婚姻登记处",
        issued_on: date(2012, 10, 8),
        fields: &[
            ("spouse_name", "张伟"),
            ("spouse_id_number", "110101198503074516"),
        ],
    },
    // 张小宝
    Seed {
        sub: "r-zhang-xiaobao",
        kind: "birth-medical-certificate",
        number: "Q110356821",
        issuer: "北京市东城区妇幼保健院",
        issued_on: date(2024, 1, 18),
        fields: &[
            ("child_name", "张小宝"),
            ("birth_date", "2024-01-15"),
            ("birth_place", "北京市东城区"),
            ("mother_name", "李娜"),
            ("father_name", "张伟"),
        ],
    },
    Seed {
        sub: "r-zhang-xiaobao",
        kind: "household-register",
        number: ZHANG_HUKOU_NUMBER,
        issuer: ZHANG_HUKOU_ISSUER,
        issued_on: date(2024, 2, 2),
        fields: ZHANG_HUKOU,
    },
    // 王秀英
    Seed {
        sub: "r-wang-xiuying",
        kind: "resident-id-card",
        number: "110101195209182029",
        issuer: ID_ISSUER_DONGCHENG,
        issued_on: date(2012, 11, 3),
        fields: &[("address", ZHANG_ADDRESS)],
    },
    Seed {
        sub: "r-wang-xiuying",
        kind: "household-register",
        number: ZHANG_HUKOU_NUMBER,
        issuer: ZHANG_HUKOU_ISSUER,
        issued_on: date(2013, 5, 20),
        fields: ZHANG_HUKOU,
    },
    Seed {
        sub: "r-wang-xiuying",
        kind: "social-security-card",
        number: "110101195209182029",
        issuer: "北京市人力资源和社会保障局",
        issued_on: date(2012, 6, 1),
        fields: &[("card_number", "A01186420")],
    },
    // 赵敏
    Seed {
        sub: "r-zhao-min",
        kind: "resident-id-card",
        number: "11010119800520201X",
        issuer: ID_ISSUER_DONGCHENG,
        issued_on: date(2019, 6, 12),
        fields: &[("address", ZHANG_ADDRESS)],
    },
    Seed {
        sub: "r-zhao-min",
        kind: "disability-certificate",
        // 残疾人证号: the ID number, then category (4 = 肢体) and level (2).
        number: "11010119800520201X42",
        issuer: "北京市东城区残疾人联合会",
        issued_on: date(2021, 3, 15),
        fields: &[
            ("disability_category", "肢体残疾"),
            ("disability_level", "二级"),
        ],
    },
    // 陈杰
    Seed {
        sub: "r-chen-jie",
        kind: "resident-id-card",
        number: "44030519900101123X",
        issuer: "深圳市公安局福田分局",
        issued_on: date(2018, 9, 20),
        fields: &[("address", "广东省深圳市福田区莲花街道景田北路88号6栋1204")],
    },
    // 刘洋
    Seed {
        sub: "r-liu-yang",
        kind: "resident-id-card",
        number: "110105199206184516",
        issuer: "北京市公安局朝阳分局",
        issued_on: date(2018, 7, 2),
        fields: &[("address", LIU_ADDRESS)],
    },
    Seed {
        sub: "r-liu-yang",
        kind: "household-register",
        number: LIU_HUKOU_NUMBER,
        issuer: LIU_HUKOU_ISSUER,
        issued_on: date(2019, 4, 11),
        fields: LIU_HUKOU,
    },
    // 孙丽
    Seed {
        sub: "r-sun-li",
        kind: "resident-id-card",
        number: "110105199409024520",
        issuer: "北京市公安局朝阳分局",
        issued_on: date(2020, 9, 14),
        fields: &[("address", LIU_ADDRESS)],
    },
    Seed {
        sub: "r-sun-li",
        kind: "household-register",
        number: LIU_HUKOU_NUMBER,
        issuer: LIU_HUKOU_ISSUER,
        issued_on: date(2019, 4, 11),
        fields: LIU_HUKOU,
    },
    // 刘小禾 (dated)
    Seed {
        sub: "r-liu-xiaohe",
        kind: "birth-medical-certificate",
        number: "Q110512764",
        issuer: "北京市朝阳区妇幼保健院",
        issued_on: date(2025, 1, 1),
        fields: &[
            ("child_name", "刘小禾"),
            ("birth_date", BIRTH_DATE),
            ("birth_place", "北京市朝阳区"),
            ("mother_name", "孙丽"),
            ("father_name", "刘洋"),
        ],
    },
    Seed {
        sub: "r-liu-xiaohe",
        kind: "household-register",
        number: LIU_HUKOU_NUMBER,
        issuer: LIU_HUKOU_ISSUER,
        issued_on: date(2025, 1, 1),
        fields: LIU_HUKOU,
    },
    // 刘建国 (dated)
    Seed {
        sub: "r-liu-jianguo",
        kind: "resident-id-card",
        number: HOLDER_ID,
        issuer: "北京市公安局朝阳分局",
        issued_on: date(2016, 5, 20),
        fields: &[("address", LIU_ADDRESS)],
    },
    Seed {
        sub: "r-liu-jianguo",
        kind: "household-register",
        number: LIU_HUKOU_NUMBER,
        issuer: LIU_HUKOU_ISSUER,
        issued_on: date(2019, 4, 11),
        fields: LIU_HUKOU,
    },
    // 周桂兰
    Seed {
        sub: "r-zhou-guilan",
        kind: "resident-id-card",
        number: "11010519620309452X",
        issuer: "北京市公安局朝阳分局",
        issued_on: date(2014, 3, 9),
        fields: &[("address", LIU_ADDRESS)],
    },
    Seed {
        sub: "r-zhou-guilan",
        kind: "disability-certificate",
        // The ID number, then category (4 = 肢体) and level (2).
        number: "11010519620309452X42",
        issuer: "北京市朝阳区残疾人联合会",
        issued_on: date(2024, 6, 3),
        fields: &[
            ("disability_category", "肢体残疾"),
            ("disability_level", "二级"),
        ],
    },
    // 何军 (dated)
    Seed {
        sub: "r-he-jun",
        kind: "resident-id-card",
        number: HOLDER_ID,
        issuer: "北京市公安局海淀分局",
        issued_on: date(2017, 10, 9),
        fields: &[("address", HE_ADDRESS)],
    },
    Seed {
        sub: "r-he-jun",
        kind: "household-register",
        number: HE_HUKOU_NUMBER,
        issuer: HE_HUKOU_ISSUER,
        issued_on: date(2012, 2, 27),
        fields: HE_HUKOU,
    },
    // 吴芳
    Seed {
        sub: "r-wu-fang",
        kind: "resident-id-card",
        number: "110108198507214525",
        issuer: "北京市公安局海淀分局",
        issued_on: date(2021, 1, 18),
        fields: &[("address", HE_ADDRESS)],
    },
    Seed {
        sub: "r-wu-fang",
        kind: "household-register",
        number: HE_HUKOU_NUMBER,
        issuer: HE_HUKOU_ISSUER,
        issued_on: date(2012, 2, 27),
        fields: HE_HUKOU,
    },
    // 马军, and the company he is the legal representative of
    Seed {
        sub: "r-ma-jun",
        kind: "resident-id-card",
        number: "440305197503123013",
        issuer: "深圳市公安局南山分局",
        issued_on: date(2019, 7, 2),
        fields: &[("address", MA_ADDRESS)],
    },
    Seed {
        sub: "r-ma-jun",
        kind: "business-licence",
        number: crate::enterprises::MA_FREIGHT_CODE,
        issuer: "深圳市市场监督管理局",
        issued_on: date(2021, 3, 16),
        fields: &[
            ("name", crate::enterprises::MA_FREIGHT_NAME),
            ("credit_code", crate::enterprises::MA_FREIGHT_CODE),
            ("address", "深圳市南山区西丽街道留仙大道3370号物流园B栋2楼"),
            ("legal_representative", "马军"),
        ],
    },
    Seed {
        sub: "r-ma-li",
        kind: "resident-id-card",
        number: "440305200006083027",
        issuer: "深圳市公安局南山分局",
        issued_on: date(2018, 9, 1),
        fields: &[("address", MA_ADDRESS)],
    },
    // 何思琪 (dated)
    Seed {
        sub: "r-he-siqi",
        kind: "birth-medical-certificate",
        number: "Q110823017",
        issuer: "北京市海淀区妇幼保健院",
        issued_on: date(2023, 1, 1),
        fields: &[
            ("child_name", "何思琪"),
            ("birth_date", BIRTH_DATE),
            ("birth_place", "北京市海淀区"),
            ("mother_name", "吴芳"),
            ("father_name", "何军"),
        ],
    },
    Seed {
        sub: "r-he-siqi",
        kind: "household-register",
        number: HE_HUKOU_NUMBER,
        issuer: HE_HUKOU_ISSUER,
        issued_on: date(2023, 1, 1),
        fields: HE_HUKOU,
    },
    // The Sun household and 钱进 (家人代办)
    Seed {
        sub: "r-sun-xiulan",
        kind: "resident-id-card",
        number: "110102195006120422",
        issuer: ID_ISSUER_XICHENG,
        issued_on: date(2016, 5, 4),
        fields: &[("address", SUN_ADDRESS)],
    },
    Seed {
        sub: "r-sun-qiang",
        kind: "resident-id-card",
        number: "110102197503080133",
        issuer: ID_ISSUER_XICHENG,
        issued_on: date(2018, 7, 19),
        fields: &[("address", SUN_ADDRESS)],
    },
    Seed {
        sub: "r-zhou-li",
        kind: "resident-id-card",
        number: "110102197709210247",
        issuer: ID_ISSUER_XICHENG,
        issued_on: date(2019, 3, 2),
        fields: &[("address", SUN_ADDRESS)],
    },
    Seed {
        sub: "r-sun-ming",
        kind: "resident-id-card",
        number: "110102200405150358",
        issuer: ID_ISSUER_XICHENG,
        issued_on: date(2022, 6, 30),
        fields: &[("address", SUN_ADDRESS)],
    },
    Seed {
        sub: "r-sun-yan",
        kind: "resident-id-card",
        number: "11010219790102046X",
        issuer: ID_ISSUER_XICHENG,
        issued_on: date(2020, 11, 11),
        fields: &[("address", SUN_ADDRESS)],
    },
    Seed {
        sub: "r-qian-jin",
        kind: "resident-id-card",
        number: "110102197208300578",
        issuer: ID_ISSUER_XICHENG,
        issued_on: date(2015, 9, 8),
        fields: &[("address", SUN_ADDRESS)],
    },
    Seed {
        sub: "r-sun-xiulan",
        kind: "household-register",
        number: "110102-005612830",
        issuer: "北京市公安局西城分局新街口派出所",
        issued_on: date(2001, 8, 14),
        fields: SUN_HUKOU,
    },
    Seed {
        sub: "r-sun-xiulan",
        kind: "social-security-card",
        number: "110102195006120422",
        issuer: "北京市人力资源和社会保障局",
        issued_on: date(2012, 4, 1),
        fields: &[("card_number", "A02957361")],
    },
];

/// The certificates `resident` holds, in the order of their `ecerts` list.
pub fn certificates_of(resident: &Resident) -> Vec<Certificate> {
    // The ID number carries the birth date (checked by the residents' tests).
    let birth_date = resident
        .id_number
        .get(6..14)
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y%m%d").ok())
        .map(|d| d.to_string())
        .unwrap_or_default();
    resident
        .ecerts
        .iter()
        .filter_map(|kind| {
            SEEDS
                .iter()
                .find(|s| s.sub == resident.sub && s.kind == *kind)
        })
        .map(|s| Certificate {
            kind: s.kind.into(),
            number: if s.number == HOLDER_ID {
                resident.id_number.into()
            } else {
                s.number.into()
            },
            holder_name: resident.name.into(),
            holder_id_number: resident.id_number.into(),
            issuer: s.issuer.into(),
            issued_on: s.issued_on,
            fields: s
                .fields
                .iter()
                .map(|(k, v)| {
                    let v = if *v == BIRTH_DATE {
                        birth_date.as_str()
                    } else {
                        v
                    };
                    ((*k).into(), v.into())
                })
                .collect(),
        })
        .collect()
}

/// One release, for `GET /_sandbox/ecerts/access`.
#[derive(Debug, Clone, Serialize)]
pub struct Access {
    pub sub: String,
    pub purpose: String,
    /// The types asked for (all the resident holds when none are named).
    pub kinds: Vec<String>,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Deserialize)]
pub struct PurposeQuery {
    purpose: Option<String>,
    /// Comma-separated ecert ids: release only these.
    kinds: Option<String>,
}

/// `GET /ecerts/{sub}/certificates?purpose={event_id}&kinds={a,b}`, signed
/// GET with the e-certificate key. Only the named kinds are released.
pub async fn certificates(
    State(state): State<AppState>,
    Path(sub): Path<String>,
    query: Result<Query<PurposeQuery>, QueryRejection>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let key = &state.config.ecert_key;
    if let Err(refused) = wire::verify(
        key,
        banshi_core::platform::ECERTS,
        &Method::GET,
        &uri,
        &headers,
        b"",
    ) {
        return refused.into_response();
    }
    let Some(resident) = residents::find(&sub) else {
        return wire::error(StatusCode::NOT_FOUND, "unknown resident");
    };
    // A repeated `purpose` is a rejection here: treated as none stated.
    let (purpose, kinds) = match query {
        Ok(Query(q)) => (q.purpose.unwrap_or_default(), q.kinds),
        Err(_) => (String::new(), None),
    };
    let kinds: Vec<String> = kinds
        .map(|k| {
            k.split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    if purpose.is_empty() {
        return wire::error(
            StatusCode::BAD_REQUEST,
            "purpose is required: the event id the certificates are released for",
        );
    }
    if Catalog::embedded().event(&purpose).is_none() {
        return wire::error(
            StatusCode::BAD_REQUEST,
            format!("purpose {purpose:?} is not an event id of the catalog"),
        );
    }
    let mut inner = state.inner.lock().expect("sandbox state");
    inner.ecert_access.push(Access {
        sub: resident.sub.into(),
        purpose,
        kinds: kinds.clone(),
        at: Utc::now(),
    });
    Json(CertificateList {
        certificates: certificates_of(resident)
            .into_iter()
            .filter(|c| kinds.is_empty() || kinds.contains(&c.kind))
            .collect(),
    })
    .into_response()
}

/// `GET /_sandbox/ecerts/access`
pub async fn access(State(state): State<AppState>) -> Json<Vec<Access>> {
    Json(
        state
            .inner
            .lock()
            .expect("sandbox state")
            .ecert_access
            .clone(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_resident_gets_exactly_their_kinds_and_each_is_in_the_catalog() {
        for r in residents::all() {
            let certs = certificates_of(r);
            let kinds: Vec<&str> = certs.iter().map(|c| c.kind.as_str()).collect();
            assert_eq!(kinds, r.ecerts, "{}", r.name);
            for c in &certs {
                assert!(
                    Catalog::embedded().ecert(&c.kind).is_some(),
                    "{} is not in ecerts.toml",
                    c.kind
                );
                assert_eq!(c.holder_name, r.name);
                assert_eq!(c.holder_id_number, r.id_number);
                assert!(!c.number.is_empty() && !c.issuer.is_empty());
            }
        }
    }

    #[test]
    fn no_seed_row_is_left_unused() {
        for s in SEEDS {
            let holder = residents::find(s.sub).expect("seed for a known resident");
            assert!(
                holder.ecerts.contains(&s.kind),
                "{} has a {} row but does not hold one",
                s.sub,
                s.kind
            );
            let twins = SEEDS
                .iter()
                .filter(|t| t.sub == s.sub && t.kind == s.kind)
                .count();
            assert_eq!(twins, 1, "{} {}", s.sub, s.kind);
        }
    }

    #[test]
    fn certificates_state_what_forms_need() {
        let of = |sub: &str, kind: &str| {
            certificates_of(residents::find(sub).unwrap())
                .into_iter()
                .find(|c| c.kind == kind)
                .unwrap()
        };
        let his = of("r-zhang-wei", "marriage-certificate");
        let hers = of("r-li-na", "marriage-certificate");
        assert_eq!(his.fields["spouse_name"], hers.holder_name);
        assert_eq!(hers.fields["spouse_name"], his.holder_name);
        assert_eq!(his.number, hers.number);
        let birth = of("r-zhang-xiaobao", "birth-medical-certificate");
        for key in [
            "child_name",
            "birth_date",
            "birth_place",
            "mother_name",
            "father_name",
        ] {
            assert!(birth.fields.contains_key(key), "{key}");
        }
        // The certificate's birth date is the one in the child's ID number.
        assert_eq!(birth.fields["birth_date"], "2024-01-15");
        assert!(of("r-wang-xiuying", "household-register").fields["address"]
            .starts_with("北京市东城区"));
        assert!(of("r-zhao-min", "disability-certificate")
            .fields
            .contains_key("disability_level"));
        assert!(of("r-zhang-wei", "social-security-card")
            .fields
            .contains_key("card_number"));
        // A dated resident's certificates follow their ID number.
        let xiaohe = residents::find("r-liu-xiaohe").unwrap();
        let birth = of("r-liu-xiaohe", "birth-medical-certificate");
        assert_eq!(
            birth.fields["birth_date"].replace('-', ""),
            xiaohe.id_number[6..14]
        );
        let grandpa = residents::find("r-liu-jianguo").unwrap();
        assert_eq!(
            of("r-liu-jianguo", "resident-id-card").number,
            grandpa.id_number
        );
    }
}
