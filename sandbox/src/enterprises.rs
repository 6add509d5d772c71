//! The market-regulation register (市场主体登记) as the identity provider
//! answers it: which businesses a resident is the legal representative
//! (法定代表人) of. The edge asks before it lets anyone act for a business.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use banshi_core::platform::{Enterprise, Representation};

use crate::residents;
use crate::{wire, AppState};

pub const MA_FREIGHT_CODE: &str = "91440305MA5F3K7Q2N";
pub const MA_FREIGHT_NAME: &str = "深圳市马氏货运有限公司";

/// `(legal representative's sub, credit code, name)`; the business
/// licence in `ecerts` carries the same code and name.
const REGISTER: &[(&str, &str, &str)] = &[("r-ma-jun", MA_FREIGHT_CODE, MA_FREIGHT_NAME)];

/// What the register says of `sub`; `None` for someone the IdP does not know.
pub fn representation_of(sub: &str) -> Option<Representation> {
    residents::find(sub)?;
    Some(Representation {
        enterprises: REGISTER
            .iter()
            .filter(|(rep, _, _)| *rep == sub)
            .map(|(_, code, name)| Enterprise {
                credit_code: code.to_string(),
                name: name.to_string(),
            })
            .collect(),
    })
}

/// `GET /enterprises/{sub}`, signed GET with the IdP client secret.
pub async fn representation(
    State(state): State<AppState>,
    Path(sub): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    wire::idp_lookup(&state.config.client_secret, &uri, &headers, || {
        representation_of(&sub)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use banshi_core::validate::CreditCode;

    #[test]
    fn the_register_names_real_residents_with_valid_codes() {
        for (sub, code, _) in REGISTER {
            assert!(residents::find(sub).is_some(), "{sub}");
            assert!(CreditCode::parse(code).is_ok(), "{code}");
        }
        assert_eq!(representation_of("r-ma-jun").unwrap().enterprises.len(), 1);
        // Most people lead no business; the register still knows them.
        assert_eq!(
            representation_of("r-ma-li"),
            Some(Representation::default())
        );
        assert_eq!(representation_of("r-nobody"), None);
    }
}
