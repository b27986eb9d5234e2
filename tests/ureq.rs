//! The layers as ureq middleware, in blocking calls from several threads to a real server on
//! 127.0.0.1 that records every `User-Agent` field it receives.
#![cfg(feature = "ureq")]

mod support;

use http::header::USER_AGENT;
use mde_partner_ua::{
    HostScope, PartnerUserAgent, PartnerUserAgentLayer, UserAgentProblem, ValidateUserAgentError,
    ValidateUserAgentLayer,
};
use support::RecordingServer;
use tokio::runtime::Runtime;
use ureq::config::{AutoHeaderValue, ConfigBuilder};
use ureq::middleware::Middleware;
use ureq::typestate::AgentScope;
use ureq::Agent;

const UA_TEXT: &str = "MdePartner-Contoso-ContosoCognito/1.0.0";
const UA: PartnerUserAgent = PartnerUserAgent::from_static(UA_TEXT);
const OTHER: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");
/// The agent's own `user_agent`, in most tests.
const AGENT_UA: &str = "my-agent/2.1";

/// The recording server, on a tokio runtime of its own; the calls are blocking ureq calls.
struct Server {
    server: RecordingServer,
    _runtime: Runtime,
}

impl Server {
    fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(RecordingServer::start());
        Server {
            server,
            _runtime: runtime,
        }
    }

    fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    fn count(&self) -> usize {
        self.server.request_count()
    }

    fn fields(&self) -> Vec<Vec<String>> {
        self.server.received_text()
    }

    /// The fields of the last request received.
    fn last(&self) -> Vec<String> {
        self.fields().pop().expect("a request arrived")
    }
}

fn config() -> ConfigBuilder<AgentScope> {
    Agent::config_builder().user_agent(AGENT_UA)
}

fn agent(middleware: impl Middleware) -> Agent {
    Agent::new_with_config(config().middleware(middleware).build())
}

/// A blocking GET with `user_agents` as the request's own `User-Agent` fields (`header` appends).
fn call(agent: &Agent, url: &str, user_agents: &[&str]) -> Result<(), ureq::Error> {
    call_with(agent, url, user_agents, None)
}

fn call_with(
    agent: &Agent,
    url: &str,
    user_agents: &[&str],
    extension: Option<PartnerUserAgent>,
) -> Result<(), ureq::Error> {
    let mut request = agent.get(url);
    for value in user_agents {
        request = request.header(USER_AGENT, *value);
    }
    if let Some(extension) = extension {
        request = request.extension(extension);
    }
    let mut response = request.call()?;
    assert!(response.status().is_success());
    response.body_mut().read_to_string()?;
    Ok(())
}

fn refusal(error: ureq::Error) -> ValidateUserAgentError {
    match error {
        ureq::Error::Other(error) => *error.downcast::<ValidateUserAgentError>().unwrap(),
        other => panic!("not a refusal: {other}"),
    }
}

/// What the caller puts on its requests, in the tests that cycle through them.
const CALLERS: [&[&str]; 3] = [&[], &["curl/8.5.0"], &["a/1", "b/2"]];

/// `calls` calls on each of 4 threads, cycling through `CALLERS`.
fn from_threads(agent: &Agent, url: &str, calls: usize) {
    std::thread::scope(|scope| {
        for thread in 0..4 {
            scope.spawn(move || {
                for i in 0..calls {
                    call(agent, url, CALLERS[(thread + i) % 3]).unwrap();
                }
            });
        }
    });
}

#[test]
fn without_middleware_the_agent_adds_its_own_only_to_a_request_without_one() {
    let server = Server::start();
    let url = server.url("/api/alerts");
    let plain = Agent::new_with_defaults();
    call(&plain, &url, &[]).unwrap();
    let default = server.last();
    assert_eq!(default.len(), 1);
    assert!(default[0].starts_with("ureq/3."), "{default:?}");

    let agent = Agent::new_with_config(config().build());
    let mut sent = Vec::new();
    for caller in CALLERS {
        call(&agent, &url, caller).unwrap();
        sent.push(server.last());
    }
    assert_eq!(
        sent,
        [vec![AGENT_UA], vec!["curl/8.5.0"], vec!["a/1", "b/2"]]
    );
    println!("no middleware, default agent: {default:?}");
    println!("no middleware, agent user_agent {AGENT_UA:?}, caller {CALLERS:?}: {sent:?}");
}

#[test]
fn replace_sends_exactly_the_partner_value_from_several_threads() {
    let server = Server::start();
    let agent = agent(PartnerUserAgentLayer::new(UA));
    from_threads(&agent, &server.url("/api/alerts"), 60);
    let received = server.fields();
    assert_eq!(received.len(), 240);
    assert!(received.iter().all(|fields| fields == &[UA_TEXT]));
}

#[test]
fn prepend_puts_the_partner_value_before_the_request_own_values() {
    let server = Server::start();
    let agent = agent(PartnerUserAgentLayer::prepend(UA));
    from_threads(&agent, &server.url("/api/alerts"), 60);
    let received = server.fields();
    assert_eq!(received.len(), 240);
    let expected = [
        vec![UA_TEXT.to_owned()],
        vec![format!("{UA_TEXT} curl/8.5.0")],
        vec![format!("{UA_TEXT} a/1 b/2")],
    ];
    for fields in &received {
        assert!(expected.contains(fields), "{fields:?}");
    }
    for expected in &expected {
        assert_eq!(received.iter().filter(|f| *f == expected).count(), 80);
    }
    println!("prepend, caller {CALLERS:?}: {expected:?}");
}

#[test]
fn prepend_keeps_an_rfc2616_caller_value_in_rfc9110_form() {
    let server = Server::start();
    let agent = agent(PartnerUserAgentLayer::prepend(UA));
    let url = server.url("/api/alerts");
    call_with(&agent, &url, &["Mozilla/5.0(Windows NT 10.0)"], None).unwrap();
    call_with(&agent, &url, &["(Android)(10)", "foo / 1.0"], None).unwrap();
    assert_eq!(
        server.fields(),
        [
            vec![format!("{UA_TEXT} Mozilla/5.0 (Windows NT 10.0)")],
            vec![format!("{UA_TEXT} (Android) (10) foo/1.0")],
        ]
    );
}

#[test]
fn what_the_agent_user_agent_becomes_under_each_policy() {
    let server = Server::start();
    let url = server.url("/api/alerts");
    let with_agent_ua = UA.followed_by(AGENT_UA).unwrap();
    let cases: [(&str, Agent, Option<String>); 7] = [
        (
            "no middleware",
            Agent::new_with_config(config().build()),
            Some(AGENT_UA.to_owned()),
        ),
        (
            "replace",
            agent(PartnerUserAgentLayer::new(UA)),
            Some(UA_TEXT.to_owned()),
        ),
        (
            "prepend",
            agent(PartnerUserAgentLayer::prepend(UA)),
            Some(UA_TEXT.to_owned()),
        ),
        (
            "replace with UA.followed_by(agent's)",
            agent(PartnerUserAgentLayer::new(with_agent_ua.clone())),
            Some(with_agent_ua.as_str().to_owned()),
        ),
        ("reject", agent(ValidateUserAgentLayer::reject()), None),
        (
            "warn",
            agent(ValidateUserAgentLayer::warn()),
            Some(AGENT_UA.to_owned()),
        ),
        (
            "repair",
            agent(ValidateUserAgentLayer::repair(UA)),
            Some(UA_TEXT.to_owned()),
        ),
    ];
    for (policy, agent, expected) in cases {
        let before = server.count();
        let result = call(&agent, &url, &[]);
        match expected {
            Some(expected) => {
                result.unwrap();
                assert_eq!(server.last(), std::slice::from_ref(&expected), "{policy}");
                println!(
                    "agent user_agent {AGENT_UA:?}, no caller value, {policy}: [{expected:?}]"
                );
            }
            None => {
                let refusal = refusal(result.unwrap_err());
                assert_eq!(refusal.problem(), UserAgentProblem::Missing, "{policy}");
                assert_eq!(server.count(), before, "{policy}");
                println!(
                    "agent user_agent {AGENT_UA:?}, no caller value, {policy}: refused ({refusal})"
                );
            }
        }
    }

    // The agent's value is added after the middleware: even the partner value, set as the
    // agent's `user_agent`, is not there yet when the request is checked.
    let agent = Agent::new_with_config(
        Agent::config_builder()
            .user_agent(UA_TEXT)
            .middleware(ValidateUserAgentLayer::reject())
            .build(),
    );
    let refusal = refusal(call(&agent, &url, &[]).unwrap_err());
    assert_eq!(refusal.problem(), UserAgentProblem::Missing);

    // Without the agent's value at all.
    let agent = Agent::new_with_config(
        Agent::config_builder()
            .user_agent(AutoHeaderValue::None)
            .build(),
    );
    call(&agent, &url, &[]).unwrap();
    assert_eq!(server.last(), Vec::<String>::new());
}

#[test]
fn a_partner_value_in_the_request_extensions_wins_for_that_request() {
    let server = Server::start();
    let url = server.url("/api/alerts");
    let other = "MdePartner-Contoso-ContosoSentinel/2.1";

    let replace = agent(PartnerUserAgentLayer::new(UA));
    call_with(&replace, &url, &["curl/8.5.0"], Some(OTHER)).unwrap();
    assert_eq!(server.last(), [other]);
    call(&replace, &url, &[]).unwrap();
    assert_eq!(server.last(), [UA_TEXT]);

    let prepend = agent(PartnerUserAgentLayer::prepend(UA));
    call_with(&prepend, &url, &["curl/8.5.0"], Some(OTHER)).unwrap();
    assert_eq!(server.last(), [format!("{other} curl/8.5.0")]);

    // An `http::Request` run by the agent keeps its extensions too.
    let request = http::Request::get(&url).extension(OTHER).body(()).unwrap();
    prepend.run(request).unwrap();
    assert_eq!(server.last(), [other]);

    let repair = agent(ValidateUserAgentLayer::repair(UA));
    call_with(&repair, &url, &["curl/8.5.0"], Some(OTHER)).unwrap();
    assert_eq!(server.last(), [other]);
}

#[test]
fn out_of_scope_hosts_are_untouched() {
    let server = Server::start();
    let url = server.url("/api/alerts");
    let localhost = || HostScope::custom(["localhost"]).unwrap();
    let loopback = || HostScope::custom(["127.0.0.1"]).unwrap();

    let out_of_scope = Agent::new_with_config(
        config()
            .middleware(PartnerUserAgentLayer::new(UA).only_for(localhost()))
            .middleware(ValidateUserAgentLayer::reject().only_for(localhost()))
            .build(),
    );
    from_threads(&out_of_scope, &url, 30);
    let in_scope = Agent::new_with_config(
        config()
            .middleware(PartnerUserAgentLayer::new(UA).only_for(loopback()))
            .middleware(ValidateUserAgentLayer::reject().only_for(loopback()))
            .build(),
    );
    from_threads(&in_scope, &url, 30);

    let received = server.fields();
    assert_eq!(received.len(), 240);
    let untouched = [vec![AGENT_UA], vec!["curl/8.5.0"], vec!["a/1", "b/2"]];
    for fields in &received[..120] {
        assert!(untouched.iter().any(|u| u == fields), "{fields:?}");
    }
    assert!(received[120..].iter().all(|f| f == &[UA_TEXT]));
}

#[test]
fn reject_refuses_and_nothing_is_sent() {
    let server = Server::start();
    let url = server.url("/api/alerts");
    let reject = agent(ValidateUserAgentLayer::reject());
    std::thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| {
                for _ in 0..25 {
                    for (caller, problem) in [
                        (&[][..], UserAgentProblem::Missing),
                        (&["curl/8.5.0"], UserAgentProblem::NotPartner),
                        (&["a/1", "b/2"], UserAgentProblem::MultipleFields),
                        (&[UA_TEXT, "x/1"], UserAgentProblem::MultipleFields),
                        (
                            &["MdePartner-Contoso Ltd-X/1"],
                            UserAgentProblem::NotPartner,
                        ),
                    ] {
                        let error = call(&reject, &url, caller).unwrap_err();
                        assert_eq!(refusal(error).problem(), problem, "{caller:?}");
                    }
                }
            });
        }
    });
    assert_eq!(server.count(), 0);

    // A partner value passes, and so does every request once the partner value is stamped.
    call(&reject, &url, &[UA_TEXT]).unwrap();
    let stamped = Agent::new_with_config(
        config()
            .middleware(PartnerUserAgentLayer::prepend(UA))
            .middleware(ValidateUserAgentLayer::reject())
            .build(),
    );
    from_threads(&stamped, &url, 25);
    assert_eq!(server.count(), 101);
}

#[test]
fn warn_sends_unchanged_and_repair_sends_the_partner_value() {
    let server = Server::start();
    let url = server.url("/api/alerts");
    from_threads(&agent(ValidateUserAgentLayer::warn()), &url, 30);
    from_threads(&agent(ValidateUserAgentLayer::repair(UA)), &url, 30);
    let received = server.fields();
    assert_eq!(received.len(), 240);
    let unchanged = [vec![AGENT_UA], vec!["curl/8.5.0"], vec!["a/1", "b/2"]];
    for fields in &received[..120] {
        assert!(unchanged.iter().any(|u| u == fields), "{fields:?}");
    }
    assert!(received[120..].iter().all(|f| f == &[UA_TEXT]));
    println!("warn, caller {CALLERS:?}: {unchanged:?}");
    println!("repair: [{UA_TEXT:?}]");
}
