//! The layers as azure_core policies, in a pipeline built as a client library builds one (its
//! `UserAgentPolicy` included), sending through azure_core's own reqwest transport to a real
//! server on 127.0.0.1 that records every `User-Agent` field it receives.
#![cfg(feature = "azure-core")]

mod support;

use std::env::consts::{ARCH, OS};
use std::error::Error as _;
use std::sync::Arc;

use azure_core::http::policies::Policy;
use azure_core::http::{
    new_http_client, ClientOptions, Context, FixedRetryOptions, Method, Pipeline, Request,
    RetryOptions, Transport, Url, UserAgentOptions,
};
use azure_core::time::Duration;
use mde_partner_ua::{
    HostScope, PartnerUserAgent, PartnerUserAgentLayer, UserAgentProblem, ValidateUserAgentError,
    ValidateUserAgentLayer,
};
use support::{RecordingServer, FAIL_FIRST_TRY};
use tokio::task::JoinSet;

const UA_TEXT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
const UA: PartnerUserAgent = PartnerUserAgent::from_static(UA_TEXT);
const OTHER: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");

/// The pipeline of a client library named `azure_security_alerts`, with `per_call` pushed to
/// `ClientOptions::per_call_policies` as a user of that library does.
fn pipeline(per_call: Vec<Arc<dyn Policy>>, application_id: Option<&str>) -> Pipeline {
    let options = ClientOptions {
        per_call_policies: per_call,
        user_agent: UserAgentOptions {
            application_id: application_id.map(str::to_owned),
        },
        // azure_core's own reqwest `HttpClient`, named rather than left to the default.
        transport: Some(Transport::new(new_http_client(None))),
        retry: RetryOptions::fixed(FixedRetryOptions {
            delay: Duration::milliseconds(5),
            max_retries: 3,
            ..FixedRetryOptions::default()
        }),
        ..ClientOptions::default()
    };
    Pipeline::new(
        Some("azure_security_alerts"),
        Some("1.2.3"),
        options,
        Vec::new(),
        Vec::new(),
        None,
    )
}

fn request(url: &str) -> Request {
    Request::new(Url::parse(url).unwrap(), Method::Get)
}

async fn send(pipeline: &Pipeline, ctx: &Context<'_>, url: &str) -> azure_core::Result<()> {
    let response = pipeline.send(ctx, &mut request(url), None).await?;
    assert!(response.status().is_success());
    Ok(())
}

fn fields(server: &RecordingServer) -> Vec<Vec<String>> {
    server.received_text()
}

/// What the client library's `UserAgentPolicy` sends, measured: one call without our policies.
async fn azsdk_value(application_id: Option<&str>) -> String {
    let server = RecordingServer::start().await;
    send(
        &pipeline(Vec::new(), application_id),
        &Context::new(),
        &server.url("/"),
    )
    .await
    .unwrap();
    let mut received = fields(&server);
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].len(), 1, "{received:?}");
    received.remove(0).remove(0)
}

/// The `ValidateUserAgentError` in `error`'s source chain.
fn refusal(error: &azure_core::Error) -> &ValidateUserAgentError {
    let mut source = error.source();
    while let Some(error) = source {
        if let Some(refusal) = error.downcast_ref::<ValidateUserAgentError>() {
            return refusal;
        }
        source = error.source();
    }
    panic!("no ValidateUserAgentError in the source chain of {error:?}")
}

/// Sends `calls` calls, `concurrency` at a time, each to `url` with `ctx`.
async fn send_many(pipeline: &Pipeline, url: &str, calls: usize, concurrency: usize) {
    let mut done = 0;
    while done < calls {
        let mut batch = JoinSet::new();
        for _ in 0..concurrency.min(calls - done) {
            let pipeline = pipeline.clone();
            let url = url.to_owned();
            batch.spawn(async move { send(&pipeline, &Context::new(), &url).await });
            done += 1;
        }
        while let Some(result) = batch.join_next().await {
            result.unwrap().unwrap();
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_library_sets_its_azsdk_value_on_every_call() {
    let value = azsdk_value(None).await;
    assert!(
        value.starts_with("azsdk-rust-security_alerts/1.2.3 ("),
        "{value}"
    );
    assert!(value.ends_with(&format!("; {OS}; {ARCH})")), "{value}");
    let with_id = azsdk_value(Some("contoso-app")).await;
    assert_eq!(with_id, format!("contoso-app {value}"));
    println!("UserAgentPolicy sends: {value}");
    println!("with application_id:   {with_id}");
}

#[test]
fn application_id_cannot_carry_a_partner_value() {
    // Every partner value has a `/`; most are longer than 24 characters too.
    for id in [UA_TEXT, "MdePartner-A-B/1"] {
        let built = std::panic::catch_unwind(|| pipeline(Vec::new(), Some(id)));
        assert!(built.is_err(), "{id}");
    }
    assert!(std::panic::catch_unwind(|| pipeline(Vec::new(), Some("MdePartner-A-B"))).is_ok());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replace_sends_exactly_the_partner_value_on_hundreds_of_calls() {
    let server = RecordingServer::start().await;
    for application_id in [None, Some("contoso-app")] {
        let pipeline = pipeline(
            vec![Arc::new(PartnerUserAgentLayer::new(UA))],
            application_id,
        );
        send_many(&pipeline, &server.url("/api/alerts"), 150, 16).await;
    }
    let received = fields(&server);
    assert_eq!(received.len(), 300);
    assert!(received.iter().all(|fields| fields == &[UA_TEXT]));
    println!("replace: {:?}", received[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prepend_sends_the_partner_value_then_the_azsdk_value() {
    let azsdk = azsdk_value(None).await;
    let with_id = azsdk_value(Some("contoso-app")).await;
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    let layer: Arc<dyn Policy> = Arc::new(PartnerUserAgentLayer::prepend(UA));
    send_many(&pipeline(vec![layer.clone()], None), &url, 100, 10).await;
    send_many(&pipeline(vec![layer], Some("contoso-app")), &url, 100, 10).await;
    let received = fields(&server);
    assert_eq!(received.len(), 200);
    let (plain, id) = received.split_at(100);
    assert!(plain.iter().all(|f| f == &[format!("{UA_TEXT} {azsdk}")]));
    assert!(id.iter().all(|f| f == &[format!("{UA_TEXT} {with_id}")]));
    println!("prepend: {:?}", plain[0]);
    println!("prepend, application_id: {:?}", id[0]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_retried_call_carries_the_same_value_on_every_try() {
    let azsdk = azsdk_value(None).await;
    let server = RecordingServer::start().await;
    let pipeline = pipeline(vec![Arc::new(PartnerUserAgentLayer::prepend(UA))], None);
    for id in 0..20 {
        let mut request = request(&server.url("/api/alerts"));
        request.insert_header(FAIL_FIRST_TRY, format!("call-{id}"));
        let response = pipeline
            .send(&Context::new(), &mut request, None)
            .await
            .unwrap();
        assert!(response.status().is_success());
    }
    // Each call: a 503 first, then the retry policy's second try; the policy ran once.
    let received = fields(&server);
    assert_eq!(received.len(), 40);
    assert!(received
        .iter()
        .all(|f| f == &[format!("{UA_TEXT} {azsdk}")]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partner_value_in_the_context_wins_for_that_call() {
    let azsdk = azsdk_value(None).await;
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    let with_other = Context::new().with_value(OTHER);
    for (layer, expected) in [
        (PartnerUserAgentLayer::new(UA), OTHER.as_str().to_owned()),
        (
            PartnerUserAgentLayer::prepend(UA),
            format!("{} {azsdk}", OTHER.as_str()),
        ),
    ] {
        let pipeline = pipeline(vec![Arc::new(layer)], None);
        send(&pipeline, &with_other, &url).await.unwrap();
        send(&pipeline, &Context::new(), &url).await.unwrap();
        let received = fields(&server);
        let last_two = &received[received.len() - 2..];
        assert_eq!(last_two[0], [expected]);
        assert!(last_two[1][0].starts_with(UA_TEXT), "{last_two:?}");
    }

    let repair = pipeline(vec![Arc::new(ValidateUserAgentLayer::repair(UA))], None);
    send(&repair, &with_other, &url).await.unwrap();
    send(&repair, &Context::new(), &url).await.unwrap();
    let received = fields(&server);
    assert_eq!(
        received[received.len() - 2..],
        [[OTHER.as_str()], [UA_TEXT]]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn out_of_scope_hosts_are_untouched() {
    let azsdk = azsdk_value(None).await;
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    let localhost = || HostScope::custom(["localhost"]).unwrap();
    let loopback = || HostScope::custom(["127.0.0.1"]).unwrap();

    let out_of_scope = pipeline(
        vec![
            Arc::new(PartnerUserAgentLayer::new(UA).only_for(localhost())),
            Arc::new(ValidateUserAgentLayer::reject().only_for(localhost())),
        ],
        None,
    );
    send_many(&out_of_scope, &url, 50, 8).await;
    let in_scope = pipeline(
        vec![
            Arc::new(PartnerUserAgentLayer::new(UA).only_for(loopback())),
            Arc::new(ValidateUserAgentLayer::reject().only_for(loopback())),
        ],
        None,
    );
    send_many(&in_scope, &url, 50, 8).await;

    let received = fields(&server);
    assert_eq!(received.len(), 100);
    assert!(received[..50]
        .iter()
        .all(|f| f == std::slice::from_ref(&azsdk)));
    assert!(received[50..].iter().all(|f| f == &[UA_TEXT]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reject_refuses_and_nothing_arrives() {
    let azsdk = azsdk_value(None).await;
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    let reject = pipeline(vec![Arc::new(ValidateUserAgentLayer::reject())], None);
    let mut calls = JoinSet::new();
    for _ in 0..100 {
        let (reject, url) = (reject.clone(), url.clone());
        calls.spawn(async move { send(&reject, &Context::new(), &url).await });
    }
    while let Some(result) = calls.join_next().await {
        let error = result.unwrap().unwrap_err();
        let refusal = refusal(&error);
        assert_eq!(refusal.problem(), UserAgentProblem::NotPartner);
        assert_eq!(refusal.value().unwrap(), azsdk.as_str());
        // Pushed per call, the refusal is the error's own source.
        assert!(error.downcast_ref::<ValidateUserAgentError>().is_some());
        assert_eq!(error.kind(), &azure_core::error::ErrorKind::Other);
    }
    assert_eq!(server.request_count(), 0);

    // Pushed per try, after the retry policy: still refused, never retried, never sent.
    let options = ClientOptions {
        per_try_policies: vec![Arc::new(ValidateUserAgentLayer::reject())],
        ..ClientOptions::default()
    };
    let per_try = Pipeline::new(
        Some("azure_security_alerts"),
        Some("1.2.3"),
        options,
        Vec::new(),
        Vec::new(),
        None,
    );
    let error = send(&per_try, &Context::new(), &url).await.unwrap_err();
    assert_eq!(refusal(&error).problem(), UserAgentProblem::NotPartner);
    println!("per-try refusal: {error}");
    assert_eq!(server.request_count(), 0);

    // With the partner value stamped first, every call passes.
    let stamped = pipeline(
        vec![
            Arc::new(PartnerUserAgentLayer::prepend(UA)),
            Arc::new(ValidateUserAgentLayer::reject()),
        ],
        None,
    );
    send_many(&stamped, &url, 100, 10).await;
    let received = fields(&server);
    assert_eq!(received.len(), 100);
    assert!(received
        .iter()
        .all(|f| f == &[format!("{UA_TEXT} {azsdk}")]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn warn_sends_unchanged_and_repair_sends_the_partner_value() {
    let azsdk = azsdk_value(None).await;
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    send_many(
        &pipeline(vec![Arc::new(ValidateUserAgentLayer::warn())], None),
        &url,
        50,
        8,
    )
    .await;
    send_many(
        &pipeline(vec![Arc::new(ValidateUserAgentLayer::repair(UA))], None),
        &url,
        50,
        8,
    )
    .await;
    let received = fields(&server);
    assert_eq!(received.len(), 100);
    assert!(received[..50]
        .iter()
        .all(|f| f == std::slice::from_ref(&azsdk)));
    assert!(received[50..].iter().all(|f| f == &[UA_TEXT]));
    println!("warn: {:?}", received[0]);
    println!("repair: {:?}", received[50]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_user_agent_no_header_can_hold_is_seen_as_absent() {
    // A per-call policy of the client library that sets a User-Agent with a control character:
    // only azure's headers can hold it.
    #[derive(Debug)]
    struct SetsBadValue;
    #[async_trait::async_trait]
    impl Policy for SetsBadValue {
        async fn send(
            &self,
            ctx: &Context,
            request: &mut Request,
            next: &[Arc<dyn Policy>],
        ) -> azure_core::http::policies::PolicyResult {
            request.insert_header("user-agent", "bad\u{1}value/1");
            next[0].send(ctx, request, &next[1..]).await
        }
    }
    let server = RecordingServer::start().await;
    let url = server.url("/api/alerts");
    for (layer, arrives) in [
        (
            Arc::new(PartnerUserAgentLayer::prepend(UA)) as Arc<dyn Policy>,
            Some(UA_TEXT),
        ),
        (Arc::new(PartnerUserAgentLayer::new(UA)), Some(UA_TEXT)),
        (Arc::new(ValidateUserAgentLayer::repair(UA)), Some(UA_TEXT)),
        (Arc::new(ValidateUserAgentLayer::reject()), None),
    ] {
        let pipeline = pipeline(vec![Arc::new(SetsBadValue), layer], None);
        let before = server.request_count();
        let result = send(&pipeline, &Context::new(), &url).await;
        match arrives {
            Some(value) => {
                result.unwrap();
                assert_eq!(fields(&server)[before], [value]);
            }
            None => {
                let error = result.unwrap_err();
                assert_eq!(refusal(&error).problem(), UserAgentProblem::Missing);
                assert_eq!(server.request_count(), before);
            }
        }
    }
}
