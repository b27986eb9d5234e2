//! Wrapping a hand-written HTTP client with the partner User-Agent layers.
//!
//! ```text
//! cargo run --example custom_client
//! ```
//!
//! `RawClient` below is the kind of small client a security agent carries: it writes HTTP/1.1
//! by hand on a TCP connection. It implements `tower::Service<http::Request<String>>`, so the
//! layers wrap it like any other client, and every request it sends carries the partner value.
//! A client with a request type of its own can implement `mde_partner_ua::OutgoingRequest` for
//! that type instead.

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use http::header::USER_AGENT;
use http::Request;
use mde_partner_ua::{PartnerUserAgent, ServiceBuilderExt};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tower::{BoxError, Service, ServiceBuilder, ServiceExt};

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

/// A minimal HTTP/1.1 client: one connection per request, the response read to its end.
#[derive(Clone, Copy, Debug)]
struct RawClient;

impl Service<Request<String>> for RawClient {
    type Response = String;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<String, BoxError>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request<String>) -> Self::Future {
        Box::pin(async move {
            let authority = request
                .uri()
                .authority()
                .ok_or("the URI needs a host")?
                .clone();
            let mut head = format!(
                "{} {} HTTP/1.1\r\nhost: {authority}\r\nconnection: close\r\ncontent-length: {}\r\n",
                request.method(),
                request.uri().path(),
                request.body().len()
            );
            for (name, value) in request.headers() {
                head.push_str(&format!("{name}: {}\r\n", value.to_str()?));
            }
            head.push_str("\r\n");

            let mut stream = TcpStream::connect(authority.as_str()).await?;
            stream.write_all(head.as_bytes()).await?;
            stream.write_all(request.body().as_bytes()).await?;
            let mut response = String::new();
            stream.read_to_string(&mut response).await?;
            Ok(response)
        })
    }
}

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let addr = start_server().await?;

    // The hand-written client, wrapped: one line.
    let mut client = ServiceBuilder::new()
        .partner_user_agent(UA)
        .service(RawClient);

    let request = Request::post(format!("http://{addr}/api/indicators"))
        .header(USER_AGENT, "my-agent/0.1")
        .body(String::from("{}"))?;
    let response = client.ready().await?.call(request).await?;
    let body = response.split("\r\n\r\n").nth(1).unwrap_or_default();
    println!("the server saw: {body}");

    // The same with a client made of a closure.
    let closure_client = tower::service_fn(|request: Request<String>| async move {
        let fields: Vec<_> = request
            .headers()
            .get_all(USER_AGENT)
            .iter()
            .cloned()
            .collect();
        Ok::<_, BoxError>(fields)
    });
    let seen = ServiceBuilder::new()
        .partner_user_agent(UA)
        .service(closure_client)
        .oneshot(Request::new(String::new()))
        .await?;
    println!("the closure saw:  {seen:?}");

    if body == UA.as_str() && seen == [UA.header_value()] {
        Ok(())
    } else {
        Err("a request did not carry the partner User-Agent".into())
    }
}

/// An HTTP/1.1 server on 127.0.0.1 that answers each request with its User-Agent lines.
async fn start_server() -> std::io::Result<std::net::SocketAddr> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read_exact(&mut byte).await.is_ok() {
                head.push(byte[0]);
            }
            let head = String::from_utf8_lossy(&head);
            let field = |wanted: &str| {
                head.lines()
                    .filter_map(|line| line.split_once(':'))
                    .filter(|(name, _)| name.eq_ignore_ascii_case(wanted))
                    .map(|(_, value)| value.trim())
                    .collect::<Vec<&str>>()
            };
            let length = field("content-length").first().and_then(|n| n.parse().ok());
            let mut request_body = vec![0; length.unwrap_or(0)];
            if stream.read_exact(&mut request_body).await.is_err() {
                continue;
            }
            let user_agents = field("user-agent");
            let body = user_agents.join(" | ");
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes()).await;
        }
    });
    Ok(addr)
}
