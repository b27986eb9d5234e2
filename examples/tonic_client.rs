//! A tonic `Channel` wrapped with the partner User-Agent layers, calling a real tonic server
//! (the standard gRPC health service) on 127.0.0.1 that prints the `user-agent` it receives.
//!
//! ```text
//! cargo run --example tonic_client
//! ```
//!
//! tonic's channel adds its own product (`tonic/0.14.x`) after any value set above it, and the
//! value of `Endpoint::user_agent` between the two. Since tonic 0.13.1 the value set by an
//! outer layer stays first; tonic 0.13.0 and earlier replaced it, so there give the partner
//! value to `Endpoint::user_agent` instead.

use std::sync::{Arc, Mutex};

use mde_partner_ua::{PartnerUserAgent, ServiceBuilderExt};
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Endpoint, Server};
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::health_server::HealthServer;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::server::{HealthReporter, HealthService};
use tower::{BoxError, ServiceBuilder};

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    let last_seen = Arc::new(Mutex::new(String::new()));
    let record = last_seen.clone();
    let health = HealthService::from_health_reporter(HealthReporter::new());
    let service = HealthServer::with_interceptor(health, move |request: tonic::Request<()>| {
        let values: Vec<_> = request.metadata().get_all("user-agent").iter().collect();
        *record.lock().expect("not poisoned") = format!("{values:?}");
        Ok(request)
    });
    tokio::spawn(
        Server::builder()
            .add_service(service)
            .serve_with_incoming(TcpIncoming::from(listener)),
    );

    let check = || HealthCheckRequest {
        service: String::new(),
    };
    let seen = || std::mem::take(&mut *last_seen.lock().expect("not poisoned"));
    let channel = Endpoint::from_shared(url.clone())?.connect().await?;

    let mut replace = HealthClient::new(
        ServiceBuilder::new()
            .partner_user_agent(UA)
            .service(channel.clone()),
    );
    replace.check(check()).await?;
    println!("replace                -> server saw {}", seen());

    let mut prepend = HealthClient::new(
        ServiceBuilder::new()
            .prepend_partner_user_agent(UA)
            .service(channel.clone()),
    );
    prepend.check(check()).await?;
    println!("prepend                -> server saw {}", seen());

    let with_own = Endpoint::from_shared(url)?
        .user_agent("my-agent/2.1")?
        .connect()
        .await?;
    let mut own = HealthClient::new(
        ServiceBuilder::new()
            .partner_user_agent(UA)
            .service(with_own.clone()),
    );
    own.check(check()).await?;
    println!("Endpoint::user_agent   -> server saw {}", seen());

    // The validating layer sits above the channel and cannot see `Endpoint::user_agent`.
    let mut checked = HealthClient::new(
        ServiceBuilder::new()
            .validate_partner_user_agent()
            .service(with_own),
    );
    let status = checked.check(check()).await.expect_err("refused");
    let sent = seen();
    println!(
        "validate, nothing set  -> refused before sending ({:?}: {}); server saw {}",
        status.code(),
        status.message(),
        if sent.is_empty() { "nothing" } else { &sent }
    );
    Ok(())
}
