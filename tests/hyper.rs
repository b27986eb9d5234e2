//! The layers around hyper-util's client, sending real requests to a real server on 127.0.0.1,
//! over HTTP/1.1 and HTTP/2.

mod support;

use std::time::Duration;

use bytes::Bytes;
use http::header::USER_AGENT;
use http::{HeaderValue, Request, Response, StatusCode};
use http_body_util::{BodyExt, Empty};
use hyper::body::Incoming;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use mde_partner_ua::{
    HostScope, PartnerUserAgent, PartnerUserAgentLayer, ServiceBuilderExt, UserAgentProblem,
    ValidateUserAgentError, ValidateUserAgentLayer,
};
use support::{RecordingServer, FAIL_FIRST_TRY};
use tower::{BoxError, Service, ServiceBuilder, ServiceExt};

const UA_TEXT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
const UA: PartnerUserAgent = PartnerUserAgent::from_static(UA_TEXT);

type HyperClient = Client<HttpConnector, Empty<Bytes>>;

#[derive(Debug, Clone, Copy)]
enum Protocol {
    Http1,
    Http2,
}

const PROTOCOLS: [Protocol; 2] = [Protocol::Http1, Protocol::Http2];

fn client(protocol: Protocol) -> HyperClient {
    Client::builder(TokioExecutor::new())
        .http2_only(matches!(protocol, Protocol::Http2))
        .build_http()
}

fn request(url: &str, user_agents: &[&str]) -> Request<Empty<Bytes>> {
    let mut request = Request::get(url).body(Empty::new()).unwrap();
    for value in user_agents {
        request
            .headers_mut()
            .append(USER_AGENT, HeaderValue::from_str(value).unwrap());
    }
    request
}

/// Sends `request` through `service` and returns the fields the server received for it.
async fn send<S>(service: &mut S, request: Request<Empty<Bytes>>) -> Result<Vec<String>, BoxError>
where
    S: Service<Request<Empty<Bytes>>, Response = Response<Incoming>>,
    S::Error: Into<BoxError>,
{
    let response = service
        .ready()
        .await
        .map_err(Into::into)?
        .call(request)
        .await
        .map_err(Into::into)?;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_body().collect().await?.to_bytes();
    let body = String::from_utf8(body.to_vec())?;
    Ok(body
        .split('\n')
        .filter(|f| !f.is_empty())
        .map(str::to_owned)
        .collect())
}

#[tokio::test]
async fn replace_sends_exactly_one_partner_field_over_http1_and_http2() {
    for protocol in PROTOCOLS {
        let server = RecordingServer::start().await;
        let mut client = ServiceBuilder::new()
            .partner_user_agent(UA)
            .service(client(protocol));
        let url = server.url("/api/alerts");
        for caller in [&[][..], &["curl/8.5.0"], &["a/1", "b/2"], &["not valid "]] {
            let seen = send(&mut client, request(&url, caller)).await.unwrap();
            assert_eq!(seen, [UA_TEXT], "{protocol:?}, caller set {caller:?}");
        }
        let expected = vec![vec![UA_TEXT.as_bytes().to_vec()]; 4];
        assert_eq!(server.received(), expected, "{protocol:?}");
    }
}

#[tokio::test]
async fn prepend_sends_the_partner_value_first_in_one_field_over_http1_and_http2() {
    for protocol in PROTOCOLS {
        let server = RecordingServer::start().await;
        let mut client = ServiceBuilder::new()
            .prepend_partner_user_agent(UA)
            .service(client(protocol));
        let url = server.url("/api/alerts");
        let cases: [(&[&str], &str); 4] = [
            (&[], UA_TEXT),
            (
                &["curl/8.5.0"],
                "MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0",
            ),
            (
                &["curl/8.5.0", "(bad"],
                "MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0",
            ),
            (
                &["MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0"],
                "MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0",
            ),
        ];
        for (caller, expected) in cases {
            let seen = send(&mut client, request(&url, caller)).await.unwrap();
            assert_eq!(seen, [expected], "{protocol:?}, caller set {caller:?}");
        }
        assert_eq!(server.request_count(), cases.len());
    }
}

#[tokio::test]
async fn reject_sends_nothing_for_a_wrong_user_agent_over_http1_and_http2() {
    for protocol in PROTOCOLS {
        let server = RecordingServer::start().await;
        let mut client = ServiceBuilder::new()
            .validate_partner_user_agent()
            .service(client(protocol));
        let url = server.url("/api/alerts");
        let cases: [(&[&str], UserAgentProblem); 4] = [
            (&[], UserAgentProblem::Missing),
            (&[UA_TEXT, "curl/8.5.0"], UserAgentProblem::MultipleFields),
            (
                &["MdePartner-Contoso-ContosoCognito/1.0.0 "],
                UserAgentProblem::NotRfc9110,
            ),
            (
                &["MdePartner-Contoso Ltd-Cognito/1.0"],
                UserAgentProblem::NotPartner,
            ),
        ];
        for (caller, problem) in cases {
            let error = send(&mut client, request(&url, caller)).await.unwrap_err();
            let error = error
                .downcast_ref::<ValidateUserAgentError>()
                .unwrap_or_else(|| panic!("not a refusal: {error}"));
            assert_eq!(
                error.problem(),
                problem,
                "{protocol:?}, caller set {caller:?}"
            );
        }
        assert_eq!(
            server.request_count(),
            0,
            "{protocol:?}: a refused request was sent"
        );

        let seen = send(&mut client, request(&url, &[UA_TEXT])).await.unwrap();
        assert_eq!(seen, [UA_TEXT]);
        assert_eq!(server.request_count(), 1);
    }
}

#[tokio::test]
async fn warn_and_repair_send_every_request() {
    for protocol in PROTOCOLS {
        let server = RecordingServer::start().await;
        let url = server.url("/");
        let mut warn = ServiceBuilder::new()
            .layer(ValidateUserAgentLayer::warn())
            .service(client(protocol));
        assert_eq!(
            send(&mut warn, request(&url, &["curl/8.5.0"]))
                .await
                .unwrap(),
            ["curl/8.5.0"]
        );
        let mut repair = ServiceBuilder::new()
            .layer(ValidateUserAgentLayer::repair(UA))
            .service(client(protocol));
        assert_eq!(
            send(&mut repair, request(&url, &["a/1", "b/2"]))
                .await
                .unwrap(),
            [UA_TEXT]
        );
        assert_eq!(server.request_count(), 2);
    }
}

#[tokio::test]
async fn a_per_request_partner_value_wins_over_the_layers() {
    const SENTINEL: PartnerUserAgent =
        PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");
    let server = RecordingServer::start().await;
    let url = server.url("/");
    for layer in [
        PartnerUserAgentLayer::new(UA),
        PartnerUserAgentLayer::prepend(UA),
    ] {
        let mut client = ServiceBuilder::new()
            .layer(layer)
            .service(client(Protocol::Http1));
        let mut other = request(&url, &[]);
        other.extensions_mut().insert(SENTINEL);
        assert_eq!(send(&mut client, other).await.unwrap(), [SENTINEL.as_str()]);
        // The next request, without the extension, gets the layer's value again.
        assert_eq!(
            send(&mut client, request(&url, &[])).await.unwrap(),
            [UA_TEXT]
        );
    }
}

#[tokio::test]
async fn a_scoped_layer_leaves_other_hosts_untouched() {
    let server = RecordingServer::start().await;
    let url = server.url("/");
    let mut microsoft_only = ServiceBuilder::new()
        .layer(PartnerUserAgentLayer::new(UA).only_for(HostScope::commercial()))
        .service(client(Protocol::Http1));
    assert_eq!(
        send(&mut microsoft_only, request(&url, &["curl/8.5.0"]))
            .await
            .unwrap(),
        ["curl/8.5.0"]
    );
    assert_eq!(
        send(&mut microsoft_only, request(&url, &[])).await.unwrap(),
        Vec::<String>::new()
    );

    let loopback = HostScope::custom(["127.0.0.1"]).unwrap();
    let mut in_scope = ServiceBuilder::new()
        .layer(PartnerUserAgentLayer::new(UA).only_for(loopback.clone()))
        .service(client(Protocol::Http1));
    assert_eq!(
        send(&mut in_scope, request(&url, &["curl/8.5.0"]))
            .await
            .unwrap(),
        [UA_TEXT]
    );

    let mut validate_in_scope = ServiceBuilder::new()
        .layer(ValidateUserAgentLayer::reject().only_for(HostScope::commercial()))
        .service(client(Protocol::Http1));
    assert_eq!(
        send(&mut validate_in_scope, request(&url, &["curl/8.5.0"]))
            .await
            .unwrap(),
        ["curl/8.5.0"]
    );
    assert_eq!(server.request_count(), 4);
}

/// Retries a request once when the server answers 503.
#[derive(Clone)]
struct RetryOnce503;

impl tower::retry::Policy<Request<Empty<Bytes>>, Response<Incoming>, BoxError> for RetryOnce503 {
    type Future = std::future::Ready<()>;

    fn retry(
        &mut self,
        request: &mut Request<Empty<Bytes>>,
        result: &mut Result<Response<Incoming>, BoxError>,
    ) -> Option<Self::Future> {
        let unavailable = matches!(result, Ok(r) if r.status() == StatusCode::SERVICE_UNAVAILABLE);
        let retried = request.extensions().get::<Retried>().is_some();
        if unavailable && !retried {
            request.extensions_mut().insert(Retried);
            Some(std::future::ready(()))
        } else {
            None
        }
    }

    fn clone_request(&mut self, request: &Request<Empty<Bytes>>) -> Option<Request<Empty<Bytes>>> {
        let mut clone = Request::new(Empty::new());
        *clone.method_mut() = request.method().clone();
        *clone.uri_mut() = request.uri().clone();
        *clone.version_mut() = request.version();
        *clone.headers_mut() = request.headers().clone();
        if let Some(&Retried) = request.extensions().get::<Retried>() {
            clone.extensions_mut().insert(Retried);
        }
        Some(clone)
    }
}

#[derive(Clone, Copy)]
struct Retried;

/// 10,000 requests at concurrency 100 through Buffer, ConcurrencyLimit, Retry and Timeout
/// around the prepending layer: every request that reaches the server, first tries and retries
/// alike, carries exactly one field with exactly the expected value.
async fn full_stack(protocol: Protocol, requests: usize) {
    const TASKS: usize = 100;
    const EXPECTED: &str = "MdePartner-Contoso-ContosoCognito/1.0.0 curl/8.5.0";
    let server = RecordingServer::start().await;
    let url = server.url("/api/machines");

    let client = ServiceBuilder::new()
        .buffer(1024)
        .concurrency_limit(TASKS)
        .retry(RetryOnce503)
        .timeout(Duration::from_secs(30))
        .prepend_partner_user_agent(UA)
        .service(client(protocol));

    let mut tasks = Vec::new();
    for task in 0..TASKS {
        let mut client = client.clone();
        let url = url.clone();
        tasks.push(tokio::spawn(async move {
            let mut failed_first = 0;
            for i in (task..requests).step_by(TASKS) {
                let mut request = request(&url, &["curl/8.5.0"]);
                if i % 7 == 0 {
                    let id = HeaderValue::from_str(&i.to_string()).unwrap();
                    request.headers_mut().insert(FAIL_FIRST_TRY, id);
                    failed_first += 1;
                }
                let seen = send(&mut client, request).await.unwrap();
                assert_eq!(seen, [EXPECTED]);
            }
            failed_first
        }));
    }
    let mut retried = 0;
    for task in tasks {
        retried += task.await.unwrap();
    }

    let received = server.received();
    assert_eq!(received.len(), requests + retried, "{protocol:?}");
    let expected = vec![EXPECTED.as_bytes().to_vec()];
    let wrong = received
        .iter()
        .filter(|fields| **fields != expected)
        .count();
    assert_eq!(
        wrong, 0,
        "{protocol:?}: requests without exactly the expected field"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_requests_through_a_full_stack_over_http1() {
    full_stack(Protocol::Http1, 10_000).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ten_thousand_requests_through_a_full_stack_over_http2() {
    full_stack(Protocol::Http2, 10_000).await;
}
