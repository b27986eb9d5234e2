//! The layers around a real tonic `Channel`, calling a real tonic server (the standard health
//! service) on 127.0.0.1 that records the `user-agent` of every call.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use mde_partner_ua::{
    HostScope, PartnerUserAgent, PartnerUserAgentLayer, ServiceBuilderExt, UnknownHost,
    ValidateUserAgentLayer,
};
use tonic::transport::server::TcpIncoming;
use tonic::transport::{Endpoint, Server};
use tonic::{Code, Request, Status};
use tonic_health::pb::health_client::HealthClient;
use tonic_health::pb::health_server::HealthServer;
use tonic_health::pb::HealthCheckRequest;
use tonic_health::server::{HealthReporter, HealthService};
use tower::ServiceBuilder;

const UA_TEXT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
const UA: PartnerUserAgent = PartnerUserAgent::from_static(UA_TEXT);

type Seen = Arc<Mutex<Vec<Vec<String>>>>;

/// Starts the health service on 127.0.0.1; returns its address and the `user-agent` values of
/// every call it receives.
async fn start_server() -> (SocketAddr, Seen) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Seen::default();
    let record = seen.clone();
    let health = HealthService::from_health_reporter(HealthReporter::new());
    let service = HealthServer::with_interceptor(health, move |request: Request<()>| {
        let values = request
            .metadata()
            .get_all("user-agent")
            .iter()
            .map(|value| value.to_str().unwrap().to_owned())
            .collect();
        record.lock().unwrap().push(values);
        Ok(request)
    });
    tokio::spawn(async move {
        Server::builder()
            .add_service(service)
            .serve_with_incoming(TcpIncoming::from(listener))
            .await
            .unwrap();
    });
    (addr, seen)
}

fn endpoint(addr: SocketAddr) -> Endpoint {
    Endpoint::from_shared(format!("http://{addr}")).unwrap()
}

fn check() -> HealthCheckRequest {
    HealthCheckRequest {
        service: String::new(),
    }
}

fn seen(seen: &Seen) -> Vec<Vec<String>> {
    seen.lock().unwrap().clone()
}

/// tonic's own part, which its channel adds after any value set above it.
fn tonic_part(value: &str) -> &str {
    value.rsplit(' ').next().unwrap()
}

#[tokio::test]
async fn replace_and_prepend_keep_the_partner_value_first_and_tonic_adds_its_part() {
    let (addr, received) = start_server().await;
    let channel = endpoint(addr).connect().await.unwrap();

    let stamped = ServiceBuilder::new()
        .partner_user_agent(UA)
        .service(channel.clone());
    HealthClient::new(stamped).check(check()).await.unwrap();

    let prepended = ServiceBuilder::new()
        .prepend_partner_user_agent(UA)
        .service(channel.clone());
    HealthClient::new(prepended).check(check()).await.unwrap();

    let received = seen(&received);
    assert_eq!(received.len(), 2);
    for fields in &received {
        assert_eq!(fields.len(), 1, "{fields:?}");
        let value = &fields[0];
        assert!(value.starts_with(&format!("{UA_TEXT} tonic/")), "{value}");
        assert_eq!(value.matches("MdePartner-").count(), 1);
        assert!(tonic_part(value).starts_with("tonic/"));
    }
}

#[tokio::test]
async fn endpoint_user_agent_comes_after_ours_and_before_tonics() {
    let (addr, received) = start_server().await;
    let channel = endpoint(addr)
        .user_agent("my-agent/2.1")
        .unwrap()
        .connect()
        .await
        .unwrap();
    let stamped = ServiceBuilder::new()
        .partner_user_agent(UA)
        .service(channel);
    HealthClient::new(stamped).check(check()).await.unwrap();
    let value = &seen(&received)[0][0];
    assert!(
        value.starts_with(&format!("{UA_TEXT} my-agent/2.1 tonic/")),
        "{value}"
    );
}

#[tokio::test]
async fn reject_refuses_before_the_channel_is_touched() {
    let (addr, received) = start_server().await;
    // The value of `Endpoint::user_agent` is added inside the channel, below the check, which
    // so sees no User-Agent at all.
    let channel = endpoint(addr)
        .user_agent("my-agent/2.1")
        .unwrap()
        .connect()
        .await
        .unwrap();
    let checked = ServiceBuilder::new()
        .validate_partner_user_agent()
        .service(channel.clone());
    let status: Status = HealthClient::new(checked).check(check()).await.unwrap_err();
    assert_eq!(status.code(), Code::Unknown);
    assert!(
        status.message().contains("no User-Agent"),
        "{}",
        status.message()
    );
    assert!(
        seen(&received).is_empty(),
        "a refused call reached the server"
    );

    // With a stamping layer above it, the check passes and the call is made.
    let stamped_then_checked = ServiceBuilder::new()
        .partner_user_agent(UA)
        .validate_partner_user_agent()
        .service(channel);
    HealthClient::new(stamped_then_checked)
        .check(check())
        .await
        .unwrap();
    assert_eq!(seen(&received).len(), 1);
}

#[tokio::test]
async fn scoped_layers_stamp_and_check_the_relative_uris_of_generated_clients() {
    let (addr, received) = start_server().await;
    let channel = endpoint(addr).connect().await.unwrap();
    // `HealthClient::new` hands the layers `/grpc.health.v1.Health/Check`, with no host: a
    // scoped layer cannot tell where it goes, so it stamps and checks it.
    let scoped = ServiceBuilder::new()
        .layer(PartnerUserAgentLayer::prepend(UA).only_for(HostScope::all_microsoft()))
        .layer(ValidateUserAgentLayer::reject().only_for(HostScope::all_microsoft()))
        .service(channel.clone());
    HealthClient::new(scoped).check(check()).await.unwrap();
    let value = &seen(&received)[0][0];
    assert!(value.starts_with(&format!("{UA_TEXT} tonic/")), "{value}");

    // The scoped validator alone refuses it: nothing reaches the server.
    let checked = ServiceBuilder::new()
        .layer(ValidateUserAgentLayer::reject().only_for(HostScope::all_microsoft()))
        .service(channel.clone());
    let status = HealthClient::new(checked).check(check()).await.unwrap_err();
    assert!(status.message().contains("no User-Agent"), "{status:?}");
    assert_eq!(seen(&received).len(), 1);

    // Asked to, the scope lets such requests pass untouched.
    let outside = HostScope::all_microsoft().on_unknown_host(UnknownHost::OutOfScope);
    let untouched = ServiceBuilder::new()
        .layer(PartnerUserAgentLayer::new(UA).only_for(outside))
        .service(channel);
    HealthClient::new(untouched).check(check()).await.unwrap();
    let value = &seen(&received)[1][0];
    assert!(value.starts_with("tonic/"), "{value}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hundreds_of_concurrent_calls_each_carry_the_partner_value_first_once() {
    let (addr, received) = start_server().await;
    let channel = endpoint(addr).connect().await.unwrap();
    let client = HealthClient::new(
        ServiceBuilder::new()
            .layer(PartnerUserAgentLayer::prepend(UA))
            .service(channel),
    );
    let mut calls = Vec::new();
    for _ in 0..400 {
        let mut client = client.clone();
        calls.push(tokio::spawn(async move { client.check(check()).await }));
    }
    for call in calls {
        call.await.unwrap().unwrap();
    }
    let received = seen(&received);
    assert_eq!(received.len(), 400);
    for fields in received {
        assert_eq!(fields.len(), 1);
        assert!(fields[0].starts_with(&format!("{UA_TEXT} ")), "{fields:?}");
        assert_eq!(fields[0].matches("MdePartner-").count(), 1);
    }
}
