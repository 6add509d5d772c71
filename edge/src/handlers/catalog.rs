//! `GET /api/events`, `GET /api/events/{id}`, `GET /api/search-index`: the
//! catalog and its search index, cacheable by ETag;
//! `GET /api/openapi.json`: the API's description.

use banshi_core::api::{EventBundle, EventList, EventSummary};
use banshi_core::catalog::Catalog;
use worker::{Request, Response};

use crate::error::{EdgeError, EdgeResult};
use crate::http::{header, json};

fn cached(
    req: &Request,
    catalog: &Catalog,
    body: impl FnOnce() -> Response,
) -> EdgeResult<Response> {
    let etag = format!("\"{}\"", catalog.version());
    let resp = if header(req, "if-none-match").as_deref() == Some(etag.as_str()) {
        Response::empty()?.with_status(304)
    } else {
        body()
    };
    let headers = resp.headers().clone();
    headers.set("etag", &etag)?;
    // Short freshness, then revalidate by ETag: a catalog change shows within minutes.
    headers.set("cache-control", "public, max-age=300, must-revalidate")?;
    Ok(resp.with_headers(headers))
}

pub fn list(req: &Request, catalog: &Catalog) -> EdgeResult<Response> {
    cached(req, catalog, || {
        let events = catalog
            .events()
            .iter()
            .map(|e| EventSummary::of(catalog, e))
            .collect();
        json(
            &EventList {
                version: catalog.version().to_owned(),
                events,
            },
            200,
        )
    })
}

/// `GET /api/openapi.json`: the API description, checked against the route table by tests.
pub fn openapi() -> EdgeResult<Response> {
    let resp = Response::ok(include_str!("../../openapi.json"))?;
    resp.headers()
        .set("content-type", "application/json; charset=utf-8")?;
    Ok(resp)
}

/// One event with its departments, e-certificate types, form sections and
/// the promise text: all the app needs to walk it (`EventBundle`).
pub fn get(req: &Request, catalog: &Catalog, id: &str) -> EdgeResult<Response> {
    let event = catalog.event(id).ok_or(EdgeError::NotFound)?;
    cached(req, catalog, || json(&EventBundle::of(catalog, event), 200))
}

/// `GET /api/search-index`: core's search index of the catalog (names,
/// keywords, everyday phrases, pinyin), for the app to search offline.
/// Built from the same catalog, so the catalog's version is its ETag.
pub fn search_index(req: &Request, catalog: &Catalog) -> EdgeResult<Response> {
    cached(req, catalog, || {
        json(banshi_core::search::SearchIndex::embedded(), 200)
    })
}
