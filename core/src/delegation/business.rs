//! Acting for a business (企业的事): `authorize` lets an agent reach a
//! business event only for a principal the market-regulation register
//! lists as some business's legal representative. This is the other half:
//! the application must then be about a business that principal leads, so
//! a grant from the head of one company cannot be used for another.

use crate::catalog::{Audience, Event, FieldKind, Text};
use crate::guide::FieldValues;
use crate::platform::Representation;
use crate::validate::FieldError;

/// Whether `fields` (a form for `event`, made by an agent for the
/// principal) name only businesses `principal` represents. Events with no
/// 统一社会信用代码 field (a business still to be registered) have nothing
/// to compare; personal events are never about a business.
pub fn for_represented_business(
    event: &Event,
    fields: &FieldValues,
    principal: &Representation,
) -> Result<(), FieldError> {
    if event.audience != Audience::Business {
        return Ok(());
    }
    for field in event
        .fields
        .iter()
        .filter(|f| f.kind == FieldKind::CreditCode)
    {
        let Some(given) = fields.get(&field.key) else {
            continue;
        };
        let given = given.trim().to_ascii_uppercase();
        if !principal
            .enterprises
            .iter()
            .any(|e| e.credit_code.eq_ignore_ascii_case(&given))
        {
            return Err(FieldError {
                field: field.key.clone(),
                message: Text::new(
                    format!("只能代办对方担任法定代表人的企业的事。登记信息里，对方不是这家企业（{given}）的法定代表人，请核对{}", field.label.zh),
                    format!("You can only act for a business the other person is the legal representative of. The register does not list them as the legal representative of this business ({given}); check the {}", field.label.en.to_lowercase()),
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::Enterprise;
    use crate::Catalog;

    fn theirs() -> Representation {
        Representation {
            enterprises: vec![Enterprise {
                credit_code: "91440305MA5F3K7Q2N".into(),
                name: "深圳市马氏货运有限公司".into(),
            }],
        }
    }

    fn form(code: &str) -> FieldValues {
        [("company.credit_code".to_string(), code.to_string())].into()
    }

    #[test]
    fn the_principals_own_business_passes_in_any_case() {
        let event = Catalog::embedded().event("transport-company").unwrap();
        assert_eq!(
            for_represented_business(event, &form("91440305MA5F3K7Q2N"), &theirs()),
            Ok(())
        );
        assert_eq!(
            for_represented_business(event, &form("91440305ma5f3k7q2n "), &theirs()),
            Ok(())
        );
    }

    #[test]
    fn another_business_is_refused_on_the_credit_code_field() {
        let event = Catalog::embedded().event("transport-company").unwrap();
        let e =
            for_represented_business(event, &form("91440300708461136T"), &theirs()).unwrap_err();
        assert_eq!(e.field, "company.credit_code");
        assert!(e.message.zh.contains("法定代表人"), "{}", e.message.zh);
        assert!(
            e.message.zh.contains("91440300708461136T"),
            "{}",
            e.message.zh
        );
        // Nobody's representative: every business is refused.
        let none = Representation::default();
        assert!(for_represented_business(event, &form("91440305MA5F3K7Q2N"), &none).is_err());
    }

    #[test]
    fn personal_events_and_forms_without_a_credit_code_have_nothing_to_compare() {
        let catalog = Catalog::embedded();
        let none = Representation::default();
        let retirement = catalog.event("retirement").unwrap();
        assert_eq!(
            for_represented_business(retirement, &form("X"), &none),
            Ok(())
        );
        let transport = catalog.event("transport-company").unwrap();
        assert_eq!(
            for_represented_business(transport, &FieldValues::new(), &none),
            Ok(())
        );
    }
}
