//! A realistic Defender client stack: the partner User-Agent, tower-http's tracing and
//! sensitive-header marking, and a timeout, over hyper-util's client, calling an embedded
//! server on 127.0.0.1 that answers with the request headers it received.
//!
//! ```text
//! RUST_LOG=tower_http=debug cargo run --example tower_http_stack --features tower-http
//! ```

use std::convert::Infallible;
use std::time::Duration;

use bytes::Bytes;
use http::header::{AUTHORIZATION, USER_AGENT};
use http::{Request, Response};
use http_body_util::{BodyExt, Empty, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};
use mde_partner_ua::{HostScope, PartnerUserAgent, PartnerUserAgentLayer};
use tower::{BoxError, Service, ServiceBuilder, ServiceExt};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::set_header::SetRequestHeaderLayer;
use tower_http::trace::TraceLayer;

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    tracing_subscriber::fmt()
        .with_env_filter(std::env::var("RUST_LOG").unwrap_or_else(|_| "tower_http=debug".into()))
        .with_writer(std::io::stderr)
        .init();
    let addr = start_server().await?;

    let mut client = ServiceBuilder::new()
        // Tokens never reach the logs.
        .layer(SetSensitiveRequestHeadersLayer::new([AUTHORIZATION]))
        .layer(TraceLayer::new_for_http())
        .timeout(Duration::from_secs(30))
        // Microsoft's hosts get the partner value; the embedded server stands in for one here.
        .layer(
            PartnerUserAgentLayer::new(UA)
                .only_for(HostScope::all_microsoft().with(HostScope::custom(["127.0.0.1"])?)),
        )
        .service(Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>());

    let request = Request::get(format!("http://{addr}/api/machines"))
        .header(AUTHORIZATION, "Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9")
        .header(USER_AGENT, "curl/8.5.0")
        .body(Empty::new())?;
    let response = client.ready().await?.call(request).await?;
    let body = response.into_body().collect().await?.to_bytes();
    println!("the server saw:\n{}", String::from_utf8_lossy(&body));

    // tower-http's own layer takes the value too, as a header value maker.
    let mut plain = ServiceBuilder::new()
        .layer(SetRequestHeaderLayer::overriding(USER_AGENT, UA))
        .service(Client::builder(TokioExecutor::new()).build_http::<Empty<Bytes>>());
    let request = Request::get(format!("http://{addr}/")).body(Empty::new())?;
    let body = plain
        .ready()
        .await?
        .call(request)
        .await?
        .into_body()
        .collect()
        .await?
        .to_bytes();
    let user_agent = String::from_utf8_lossy(&body)
        .lines()
        .find(|l| l.starts_with("user-agent"))
        .map(str::to_owned);
    println!(
        "with SetRequestHeaderLayer::overriding: {}",
        user_agent.unwrap_or_default()
    );
    Ok(())
}

/// An HTTP/1.1 server that answers with the headers it received, one per line.
async fn start_server() -> std::io::Result<std::net::SocketAddr> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let service =
                hyper::service::service_fn(|request: Request<hyper::body::Incoming>| async move {
                    let mut seen = String::new();
                    for (name, value) in request.headers() {
                        seen.push_str(&format!(
                            "{name}: {}\n",
                            String::from_utf8_lossy(value.as_bytes())
                        ));
                    }
                    Ok::<_, Infallible>(Response::new(Full::new(Bytes::from(seen))))
                });
            tokio::spawn(
                hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service),
            );
        }
    });
    Ok(addr)
}
