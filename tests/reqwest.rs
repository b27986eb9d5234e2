//! The layers around a real `reqwest::Client`, sending to a real server on 127.0.0.1 that
//! records every `User-Agent` field it receives.
#![cfg(feature = "reqwest")]

mod support;

use http::header::USER_AGENT;
use mde_partner_ua::{
    PartnerUserAgent, PartnerUserAgentLayer, ServiceBuilderExt, UserAgentProblem,
    ValidateUserAgentError,
};
use support::RecordingServer;
use tower::{BoxError, Service, ServiceBuilder, ServiceExt};

const UA_TEXT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
const UA: PartnerUserAgent = PartnerUserAgent::from_static(UA_TEXT);

/// A request built the reqwest way, with `header` called once per value (which appends).
fn request(client: &reqwest::Client, url: &str, user_agents: &[&str]) -> reqwest::Request {
    let mut builder = client.get(url);
    for value in user_agents {
        builder = builder.header(USER_AGENT, *value);
    }
    builder.build().unwrap()
}

async fn send<S>(service: &mut S, request: reqwest::Request) -> Result<(), BoxError>
where
    S: Service<reqwest::Request, Response = reqwest::Response>,
    S::Error: Into<BoxError>,
{
    let response = service
        .ready()
        .await
        .map_err(Into::into)?
        .call(request)
        .await
        .map_err(Into::into)?;
    assert!(response.status().is_success());
    Ok(())
}

fn fields(server: &RecordingServer) -> Vec<Vec<String>> {
    server.received_text()
}

#[tokio::test]
async fn replace_wins_over_every_user_agent_reqwest_would_send() {
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    // The client's own value is added below the layer, only when the request has none.
    let client = reqwest::Client::builder()
        .user_agent("my-agent/2.1")
        .build()
        .unwrap();
    let mut wrapped = ServiceBuilder::new()
        .partner_user_agent(UA)
        .service(client.clone());
    for caller in [&[][..], &["curl/8.5.0"], &["a/1", "b/2"]] {
        send(&mut wrapped, request(&client, &url, caller))
            .await
            .unwrap();
    }
    assert_eq!(fields(&server), vec![vec![UA_TEXT.to_owned()]; 3]);
}

#[tokio::test]
async fn prepend_keeps_what_the_request_carried_in_one_field() {
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    let client = reqwest::Client::new();
    let mut wrapped = ServiceBuilder::new()
        .prepend_partner_user_agent(UA)
        .service(client.clone());
    send(&mut wrapped, request(&client, &url, &["curl/8.5.0"]))
        .await
        .unwrap();
    // `RequestBuilder::header` twice sends two fields; the layer merges them.
    send(&mut wrapped, request(&client, &url, &["a/1", "b/2"]))
        .await
        .unwrap();
    send(&mut wrapped, request(&client, &url, &[]))
        .await
        .unwrap();
    assert_eq!(
        fields(&server),
        [
            vec![format!("{UA_TEXT} curl/8.5.0")],
            vec![format!("{UA_TEXT} a/1 b/2")],
            vec![UA_TEXT.to_owned()],
        ]
    );
}

#[tokio::test]
async fn the_client_own_value_after_ours_by_giving_the_client_the_combined_value() {
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    let combined = UA.followed_by("my-agent/2.1").unwrap();
    let client = reqwest::Client::builder()
        .user_agent(combined.header_value().clone())
        .build()
        .unwrap();
    // Prepend finds no value on the request and adds ours; the client's own would only come
    // where the request had none, so it is the combined value that carries both.
    let mut wrapped = ServiceBuilder::new()
        .layer(PartnerUserAgentLayer::prepend(combined.clone()))
        .service(client.clone());
    send(&mut wrapped, request(&client, &url, &[]))
        .await
        .unwrap();
    // Without any layer the client sends its own value, the combined one.
    send(&mut client.clone(), request(&client, &url, &[]))
        .await
        .unwrap();
    assert_eq!(
        fields(&server),
        vec![vec![format!("{UA_TEXT} my-agent/2.1")]; 2]
    );
}

#[tokio::test]
async fn reject_sends_nothing_for_a_wrong_user_agent() {
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    let client = reqwest::Client::builder()
        .user_agent("my-agent/2.1")
        .build()
        .unwrap();
    let mut wrapped = ServiceBuilder::new()
        .validate_partner_user_agent()
        .service(client.clone());
    for (caller, problem) in [
        // The client's own value is added below the check, so the check sees none.
        (&[][..], UserAgentProblem::Missing),
        (&[UA_TEXT, "curl/8.5.0"], UserAgentProblem::MultipleFields),
        (&["curl/8.5.0"], UserAgentProblem::NotPartner),
    ] {
        let error = send(&mut wrapped, request(&client, &url, caller))
            .await
            .unwrap_err();
        let error = error.downcast_ref::<ValidateUserAgentError>().unwrap();
        assert_eq!(error.problem(), problem);
    }
    assert_eq!(server.request_count(), 0);
    send(&mut wrapped, request(&client, &url, &[UA_TEXT]))
        .await
        .unwrap();
    assert_eq!(fields(&server), [vec![UA_TEXT.to_owned()]]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_requests_each_carry_the_partner_value_once() {
    let server = RecordingServer::start().await;
    let url = server.url("/api/machines");
    let client = reqwest::Client::new();
    let wrapped = ServiceBuilder::new()
        .buffer(256)
        .prepend_partner_user_agent(UA)
        .service(client.clone());
    let mut tasks = Vec::new();
    for i in 0..50 {
        let (mut wrapped, client, url) = (wrapped.clone(), client.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            for _ in 0..20 {
                let caller: &[&str] = if i % 2 == 0 { &["curl/8.5.0"] } else { &[] };
                send(&mut wrapped, request(&client, &url, caller))
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let received = fields(&server);
    assert_eq!(received.len(), 1000);
    for fields in received {
        assert_eq!(fields.len(), 1);
        assert!(
            fields[0] == UA_TEXT || fields[0] == format!("{UA_TEXT} curl/8.5.0"),
            "{fields:?}"
        );
    }
}

#[cfg(feature = "reqwest-middleware")]
#[tokio::test]
async fn as_reqwest_middleware_the_layers_stamp_and_refuse_the_same_way() {
    use mde_partner_ua::ValidateUserAgentLayer;

    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    let stamped = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(PartnerUserAgentLayer::prepend(UA))
        .with(ValidateUserAgentLayer::reject())
        .build();
    stamped
        .get(&url)
        .header(USER_AGENT, "curl/8.5.0")
        .send()
        .await
        .unwrap();
    // A per-request value through the middleware chain's extensions.
    let sentinel = PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");
    stamped
        .get(&url)
        .with_extension(sentinel)
        .send()
        .await
        .unwrap();

    let checked = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(ValidateUserAgentLayer::reject())
        .build();
    let error = checked
        .get(&url)
        .header(USER_AGENT, "curl/8.5.0")
        .send()
        .await
        .unwrap_err();
    let reqwest_middleware::Error::Middleware(error) = error else {
        panic!("not a refusal: {error}");
    };
    let refusal = error.downcast_ref::<ValidateUserAgentError>().unwrap();
    assert_eq!(refusal.problem(), UserAgentProblem::NotPartner);

    assert_eq!(
        fields(&server),
        [
            vec![format!("{UA_TEXT} curl/8.5.0")],
            vec!["MdePartner-Contoso-ContosoSentinel/2.1".to_owned()],
        ]
    );
}
