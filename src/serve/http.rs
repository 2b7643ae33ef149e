//! The preview's HTTP side (axum): built files from memory with correct
//! content types, `index.html` for folders, the site's `404.html` for misses,
//! the reload script, and the reload channel. Every request must name this
//! preview in its `Host` (else 403); the reload channel also checks `Origin`.
//! No CORS header anywhere.

use std::convert::Infallible;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::StreamExt;

use super::livereload::{self, EVENTS_PATH, SCRIPT_PATH};
use super::paths::{lookup, Lookup};
use super::snapshot::Snapshot;
use super::Preview;

pub(super) fn router(preview: Arc<Preview>) -> Router {
    Router::new()
        .route(EVENTS_PATH, get(events))
        .route(SCRIPT_PATH, get(script))
        .fallback(file)
        .layer(middleware::from_fn_with_state(
            preview.clone(),
            own_host_only,
        ))
        .with_state(preview)
}

/// Refuse every request whose `Host` (or absolute-form authority) is not this preview.
async fn own_host_only(
    State(preview): State<Arc<Preview>>,
    request: Request,
    next: Next,
) -> Response {
    let allowed = preview.allowed_hosts();
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|v| v.to_str().ok());
    let authority = request.uri().authority().map(|a| a.as_str());
    if !allowed.host(host) || !authority.is_none_or(|a| allowed.host(Some(a))) {
        return forbidden();
    }
    next.run(request).await
}

fn forbidden() -> Response {
    respond(
        StatusCode::FORBIDDEN,
        "text/plain; charset=utf-8",
        "Zugriff verweigert: Diese Vorschau antwortet nur unter ihrer eigenen Adresse (weitere Namen erlaubt „serve --allow-host NAME“).".as_bytes().to_vec(),
    )
}

async fn script() -> Response {
    respond(
        StatusCode::OK,
        "text/javascript; charset=utf-8",
        livereload::SCRIPT.as_bytes().to_vec(),
    )
}

async fn events(State(preview): State<Arc<Preview>>, headers: HeaderMap) -> Response {
    let header_text = |name| {
        headers
            .get(name)
            .and_then(|v: &HeaderValue| v.to_str().ok())
    };
    let allowed = preview.allowed_hosts();
    if !allowed.host(header_text(header::HOST)) || !allowed.origin(header_text(header::ORIGIN)) {
        return forbidden();
    }
    let stream = BroadcastStream::new(preview.events.subscribe())
        .filter_map(|message| message.ok())
        .map(|json| Ok::<_, Infallible>(Event::default().event("reload").data(json)));
    Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response()
}

async fn file(State(preview): State<Arc<Preview>>, method: Method, uri: Uri) -> Response {
    if method != Method::GET && method != Method::HEAD {
        return respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            b"Nur GET und HEAD.".to_vec(),
        );
    }
    let snapshot = preview.snapshot();
    match lookup(uri.path(), "/", |key| snapshot.get(key).is_some()) {
        Lookup::AddSlash(location) => {
            let mut response = respond(
                StatusCode::PERMANENT_REDIRECT,
                "text/plain; charset=utf-8",
                Vec::new(),
            );
            if let Ok(value) = HeaderValue::from_str(&location) {
                response.headers_mut().insert(header::LOCATION, value);
            }
            response
        }
        Lookup::File(key) => match read(&snapshot, &key) {
            Some(bytes) => page(&preview, StatusCode::OK, &key, bytes),
            None => not_found(&preview, &snapshot),
        },
        Lookup::Invalid => not_found(&preview, &snapshot),
    }
}

/// A built file's bytes: always from memory, never from disk.
fn read(snapshot: &Snapshot, key: &str) -> Option<Vec<u8>> {
    Some(snapshot.get(key)?.body.bytes().to_vec())
}

fn not_found(preview: &Preview, snapshot: &Snapshot) -> Response {
    match read(snapshot, "404.html") {
        Some(bytes) => page(preview, StatusCode::NOT_FOUND, "404.html", bytes),
        None => page(preview, StatusCode::NOT_FOUND, "404.html", b"<!DOCTYPE html><html lang=\"de\"><title>Nicht gefunden</title><body><h1>Seite nicht gefunden</h1></body></html>".to_vec()),
    }
}

/// A built file; HTML gets the reload script and, while the content is broken, the error overlay.
fn page(preview: &Preview, status: StatusCode, key: &str, bytes: Vec<u8>) -> Response {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    let content_type = match mime.type_() {
        mime_guess::mime::TEXT => format!("{}; charset=utf-8", mime.essence_str()),
        _ if mime.essence_str() == "application/json" || mime.essence_str() == "image/svg+xml" => {
            format!("{}; charset=utf-8", mime.essence_str())
        }
        _ => mime.essence_str().to_string(),
    };
    let body = if is_html {
        livereload::inject(&bytes, preview.errors().as_deref())
    } else {
        bytes
    };
    respond(status, &content_type, body)
}

fn respond(status: StatusCode, content_type: &str, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
