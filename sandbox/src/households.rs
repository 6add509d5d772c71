//! Household records (户籍) at the identity provider: who lives in a seeded
//! resident's registered household and how each is related to them. The
//! relations are a table, stated once per pair; the other direction follows
//! from `inverse`, so the two views of a pair cannot disagree.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use banshi_core::platform::{Household, HouseholdMember, Relation};
use banshi_core::validate::IdNumber;

use crate::residents;
use crate::{wire, AppState};

struct HouseholdSeed {
    id: &'static str,
    /// Residents' subs, in the order the register lists them (head first).
    members: &'static [&'static str],
    /// `(a, b, r)`: from `a`'s point of view, `b` is their `r`. One row per
    /// pair of members.
    relations: &'static [(&'static str, &'static str, Relation)],
}

const HOUSEHOLDS: &[HouseholdSeed] = &[
    HouseholdSeed {
        id: "h-zhang-dongcheng",
        members: &[
            "r-zhang-wei",
            "r-li-na",
            "r-zhang-xiaobao",
            "r-wang-xiuying",
            "r-zhao-min",
        ],
        relations: {
            use Relation::*;
            &[
                ("r-zhang-wei", "r-li-na", Spouse),
                ("r-zhang-wei", "r-zhang-xiaobao", Child),
                ("r-zhang-wei", "r-wang-xiuying", Parent),
                ("r-zhang-wei", "r-zhao-min", Sibling),
                ("r-li-na", "r-zhang-xiaobao", Child),
                // 婆婆 (mother-in-law)
                ("r-li-na", "r-wang-xiuying", Other),
                // 小姑子 (husband's sister)
                ("r-li-na", "r-zhao-min", Other),
                ("r-zhang-xiaobao", "r-wang-xiuying", Grandparent),
                // 姑姑 (father's sister)
                ("r-zhang-xiaobao", "r-zhao-min", Other),
                // 张伟's sister is 王秀英's daughter too.
                ("r-wang-xiuying", "r-zhao-min", Child),
            ]
        },
    },
    HouseholdSeed {
        id: "h-chen-futian",
        members: &["r-chen-jie"],
        relations: &[],
    },
    // 免申即享: every rule finds someone here.
    HouseholdSeed {
        id: "h-liu-chaoyang",
        members: &[
            "r-liu-yang",
            "r-sun-li",
            "r-liu-xiaohe",
            "r-liu-jianguo",
            "r-zhou-guilan",
        ],
        relations: {
            use Relation::*;
            &[
                ("r-liu-yang", "r-sun-li", Spouse),
                ("r-liu-yang", "r-liu-xiaohe", Child),
                ("r-liu-yang", "r-liu-jianguo", Parent),
                ("r-liu-yang", "r-zhou-guilan", Parent),
                ("r-sun-li", "r-liu-xiaohe", Child),
                // 公公, 婆婆 (parents-in-law)
                ("r-sun-li", "r-liu-jianguo", Other),
                ("r-sun-li", "r-zhou-guilan", Other),
                ("r-liu-xiaohe", "r-liu-jianguo", Grandparent),
                ("r-liu-xiaohe", "r-zhou-guilan", Grandparent),
                ("r-liu-jianguo", "r-zhou-guilan", Spouse),
            ]
        },
    },
    // 家人代办: every side of the proxy rules (see `residents`).
    HouseholdSeed {
        id: "h-sun-xicheng",
        members: &[
            "r-sun-qiang",
            "r-zhou-li",
            "r-sun-ming",
            "r-sun-le",
            "r-sun-xiulan",
            "r-sun-yan",
        ],
        relations: {
            use Relation::*;
            &[
                ("r-sun-qiang", "r-zhou-li", Spouse),
                ("r-sun-qiang", "r-sun-ming", Child),
                ("r-sun-qiang", "r-sun-le", Child),
                ("r-sun-qiang", "r-sun-xiulan", Parent),
                ("r-sun-qiang", "r-sun-yan", Sibling),
                ("r-zhou-li", "r-sun-ming", Child),
                ("r-zhou-li", "r-sun-le", Child),
                // 婆婆, 小姑子
                ("r-zhou-li", "r-sun-xiulan", Other),
                ("r-zhou-li", "r-sun-yan", Other),
                ("r-sun-ming", "r-sun-le", Sibling),
                ("r-sun-ming", "r-sun-xiulan", Grandparent),
                // 姑姑
                ("r-sun-ming", "r-sun-yan", Other),
                ("r-sun-le", "r-sun-xiulan", Grandparent),
                ("r-sun-le", "r-sun-yan", Other),
                ("r-sun-xiulan", "r-sun-yan", Child),
            ]
        },
    },
    // 免申即享: no rule finds anyone here (a child just over three, a father
    // retiring in five months, nobody with a disability certificate).
    HouseholdSeed {
        id: "h-he-haidian",
        members: &["r-he-jun", "r-wu-fang", "r-he-siqi"],
        relations: {
            use Relation::*;
            &[
                ("r-he-jun", "r-wu-fang", Spouse),
                ("r-he-jun", "r-he-siqi", Child),
                ("r-wu-fang", "r-he-siqi", Child),
            ]
        },
    },
    HouseholdSeed {
        id: "h-ma-nanshan",
        members: &["r-ma-jun", "r-ma-li"],
        relations: &[("r-ma-jun", "r-ma-li", Relation::Child)],
    },
];

/// How `b` sees `a` when `a` sees `b` as `r`.
fn inverse(r: Relation) -> Relation {
    use Relation::*;
    match r {
        Myself => Myself,
        Spouse => Spouse,
        Child => Parent,
        Parent => Child,
        Grandparent => Grandchild,
        Grandchild => Grandparent,
        Sibling => Sibling,
        Other => Other,
    }
}

impl HouseholdSeed {
    /// How `from` sees `to`; `None` if the table has no row for the pair.
    fn relation(&self, from: &str, to: &str) -> Option<Relation> {
        if from == to {
            return Some(Relation::Myself);
        }
        self.relations.iter().find_map(|&(a, b, r)| {
            if (a, b) == (from, to) {
                Some(r)
            } else if (a, b) == (to, from) {
                Some(inverse(r))
            } else {
                None
            }
        })
    }
}

/// `sub`'s household, relations seen from `sub`: themself first, then the
/// others in register order.
pub fn household_of(sub: &str) -> Option<Household> {
    let seed = HOUSEHOLDS.iter().find(|h| h.members.contains(&sub))?;
    let today = chrono::Utc::now().date_naive();
    let order = std::iter::once(sub).chain(seed.members.iter().copied().filter(|m| *m != sub));
    let members = order
        .filter_map(|m| {
            let r = residents::find(m)?;
            Some(HouseholdMember {
                sub: r.sub.into(),
                name: r.name.into(),
                relation: seed.relation(sub, m)?,
                birth_date: IdNumber::parse(r.id_number, today).ok()?.birth_date(),
                // One source of truth: disabled means holding the certificate.
                disabled: r.ecerts.contains(&"disability-certificate"),
                id_number: Some(r.id_number.into()),
            })
        })
        .collect();
    Some(Household {
        household_id: seed.id.into(),
        members,
    })
}

/// `GET /households/{sub}`, signed GET with the IdP client secret.
pub async fn household(
    State(state): State<AppState>,
    Path(sub): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    wire::idp_lookup(&state.config.client_secret, &uri, &headers, || {
        household_of(&sub)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;
    use Relation::*;

    fn relation(from: &str, to: &str) -> Relation {
        household_of(from)
            .unwrap()
            .members
            .into_iter()
            .find(|m| m.sub == to)
            .unwrap_or_else(|| panic!("{from} does not see {to}"))
            .relation
    }

    #[test]
    fn every_member_sees_every_other_and_the_two_views_agree() {
        for seed in HOUSEHOLDS {
            for a in seed.members {
                let h = household_of(a).unwrap();
                assert_eq!(h.household_id, seed.id);
                assert_eq!(h.members.len(), seed.members.len(), "{a} misses someone");
                assert_eq!(h.members.iter().filter(|m| m.relation == Myself).count(), 1);
                assert_eq!(h.members[0].sub, *a, "self comes first");
                for b in seed.members {
                    assert_eq!(relation(b, a), inverse(relation(a, b)), "{a} / {b}");
                }
            }
        }
    }

    #[test]
    fn the_table_states_each_pair_once_and_only_members() {
        for seed in HOUSEHOLDS {
            for (a, b, _) in seed.relations {
                assert!(a != b && seed.members.contains(a) && seed.members.contains(b));
                let rows = seed
                    .relations
                    .iter()
                    .filter(|(x, y, _)| (x, y) == (a, b) || (x, y) == (b, a))
                    .count();
                assert_eq!(rows, 1, "{a} / {b}");
            }
            for m in seed.members {
                assert!(residents::find(m).is_some(), "{m}");
                let homes = HOUSEHOLDS.iter().filter(|h| h.members.contains(m)).count();
                assert_eq!(homes, 1, "{m} is in one household");
            }
        }
    }

    #[test]
    fn relations_read_as_a_family() {
        assert_eq!(relation("r-li-na", "r-wang-xiuying"), Other);
        assert_eq!(relation("r-zhang-xiaobao", "r-wang-xiuying"), Grandparent);
        assert_eq!(relation("r-zhang-xiaobao", "r-zhang-wei"), Parent);
        assert_eq!(relation("r-zhang-xiaobao", "r-li-na"), Parent);
        assert_eq!(relation("r-wang-xiuying", "r-zhang-wei"), Child);
        assert_eq!(relation("r-wang-xiuying", "r-zhang-xiaobao"), Grandchild);
        assert_eq!(relation("r-zhang-wei", "r-zhao-min"), Sibling);
        assert_eq!(relation("r-zhang-xiaobao", "r-zhao-min"), Other);
        assert_eq!(relation("r-li-na", "r-zhang-wei"), Spouse);
    }

    #[test]
    fn the_sun_household_has_a_parent_of_an_adult_and_of_a_minor_and_an_elderly_mother() {
        assert_eq!(relation("r-sun-qiang", "r-sun-xiulan"), Parent);
        assert_eq!(relation("r-sun-qiang", "r-sun-ming"), Child);
        assert_eq!(relation("r-sun-qiang", "r-sun-le"), Child);
        assert_eq!(relation("r-sun-xiulan", "r-sun-yan"), Child);
        let today = residents::china_today();
        let age = |sub: &str| {
            let m = household_of("r-sun-qiang")
                .unwrap()
                .members
                .into_iter()
                .find(|m| m.sub == sub)
                .unwrap();
            today.years_since(m.birth_date).unwrap()
        };
        assert!(age("r-sun-ming") >= 18);
        assert_eq!(age("r-sun-le"), 17);
        // The register carries each member's ID number, for a guardian's prefill.
        let h = household_of("r-sun-qiang").unwrap();
        assert!(h.members.iter().all(|m| m.id_number.is_some()));
    }

    /// What the edge would compute for `sub` with no applications yet: the
    /// household, every member's certificates, the resident's ID number.
    fn offers_for(sub: &str) -> Vec<banshi_core::offer::Offer> {
        use banshi_core::offer::{offers, Facts, OfferSettings, PolicyRules, ResidentFacts};
        let r = residents::find(sub).unwrap();
        let household = household_of(sub).unwrap();
        let certificates = household
            .members
            .iter()
            .map(|m| {
                let holder = residents::find(&m.sub).unwrap();
                (m.sub.clone(), crate::ecerts::certificates_of(holder))
            })
            .collect();
        let facts = Facts {
            resident: ResidentFacts {
                sub: r.sub.into(),
                name: r.name.into(),
                id_number: r.id_number.into(),
            },
            household: Some(household),
            certificates,
        };
        let today = residents::china_today();
        offers(
            PolicyRules::embedded(),
            &facts,
            &[],
            today,
            &OfferSettings::default(),
        )
    }

    /// (event, whom it is for) per offer.
    fn offered(sub: &str) -> Vec<(String, String)> {
        offers_for(sub)
            .into_iter()
            .map(|o| {
                let f = &o.prefill.fields;
                let who = f.get("child.name").or(f.get("person.name")).cloned();
                (o.event_id, who.unwrap_or_default())
            })
            .collect()
    }

    #[test]
    fn the_liu_household_has_a_case_for_every_offer_rule() {
        let s = |a: &str, b: &str| (a.to_string(), b.to_string());
        // The father: his child under three, his mother's disability certificate.
        assert_eq!(
            offered("r-liu-yang"),
            [s("childcare-subsidy", "刘小禾"), s("disability", "周桂兰")]
        );
        let baby = &offers_for("r-liu-yang")[0];
        assert_eq!(
            baby.prefill.fields["child.id_number"],
            residents::find("r-liu-xiaohe").unwrap().id_number
        );
        // The grandfather: his own retirement soon; his grandchild is not his claim.
        let grandpa: Vec<_> = offered("r-liu-jianguo")
            .into_iter()
            .map(|(e, _)| e)
            .collect();
        assert_eq!(grandpa, ["disability", "retirement"]);
        // The grandmother herself is offered her subsidies.
        assert_eq!(offered("r-zhou-guilan"), [s("disability", "周桂兰")]);
    }

    #[test]
    fn the_he_household_and_chen_jie_must_not_match_any_offer_rule() {
        for sub in ["r-he-jun", "r-wu-fang", "r-chen-jie"] {
            assert_eq!(offered(sub), [], "{sub}");
        }
    }

    #[test]
    fn birth_dates_and_disability_come_from_the_resident() {
        let h = household_of("r-zhang-wei").unwrap();
        let baby = h
            .members
            .iter()
            .find(|m| m.sub == "r-zhang-xiaobao")
            .unwrap();
        assert_eq!(
            baby.birth_date,
            NaiveDate::from_ymd_opt(2024, 1, 15).unwrap()
        );
        let disabled: Vec<&str> = h
            .members
            .iter()
            .filter(|m| m.disabled)
            .map(|m| m.sub.as_str())
            .collect();
        assert_eq!(disabled, ["r-zhao-min"]);
        let liu = household_of("r-liu-yang").unwrap();
        let disabled: Vec<&str> = liu
            .members
            .iter()
            .filter(|m| m.disabled)
            .map(|m| m.sub.as_str())
            .collect();
        assert_eq!(disabled, ["r-zhou-guilan"]);
        let chen = household_of("r-chen-jie").unwrap();
        assert_eq!(chen.household_id, "h-chen-futian");
        assert_eq!(chen.members.len(), 1);
        assert!(household_of("r-nobody").is_none());
    }
}
