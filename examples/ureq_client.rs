//! A ureq 3 agent with the partner User-Agent layers as middleware, talking to a server on
//! 127.0.0.1 that records the User-Agent fields of every request it receives.
//!
//! ```text
//! cargo run --example ureq_client --features ureq
//! ```
//!
//! Each line shows one request: the agent's middleware, what the caller set, and what the server
//! saw. The program exits with 1 if any of them is not what it should be.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use mde_partner_ua::{
    HostScope, PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentError,
    ValidateUserAgentLayer,
};
use ureq::middleware::Middleware;
use ureq::Agent;

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
const OTHER: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");

/// The agent's own `user_agent`, which ureq adds only to a request that leaves the middleware
/// without a User-Agent.
const AGENT_UA: &str = "contoso-cognito-agent/1.0";

fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let server = Server::start()?;
    let url = format!("http://{}/api/alerts", server.addr);
    println!("sending to {url}\n");

    let mut demo = Demo {
        server,
        url,
        all_as_expected: true,
    };
    // Nothing: the agent's own value, unless the caller set one.
    let plain = agent_with(None::<PartnerUserAgentLayer>);
    demo.show("no middleware", &plain, None, None, Some(AGENT_UA));

    // Replace: the partner value alone, whatever the caller or the agent would have sent.
    let replace = agent_with(Some(PartnerUserAgentLayer::new(UA)));
    demo.show("replace", &replace, None, None, Some(UA.as_str()));
    demo.show(
        "replace",
        &replace,
        Some("curl/8.5.0"),
        None,
        Some(UA.as_str()),
    );

    // Prepend: the partner value, then the caller's own; the agent's own is not added.
    let prepend = agent_with(Some(PartnerUserAgentLayer::prepend(UA)));
    let prepended = format!("{} curl/8.5.0", UA.as_str());
    demo.show(
        "prepend",
        &prepend,
        Some("curl/8.5.0"),
        None,
        Some(&prepended),
    );
    demo.show("prepend", &prepend, None, None, Some(UA.as_str()));

    // To keep the agent's product, put it in the partner value.
    let followed = UA.followed_by(AGENT_UA)?;
    let keep_agent = agent_with(Some(PartnerUserAgentLayer::new(followed.clone())));
    demo.show(
        "replace, UA.followed_by(agent's)",
        &keep_agent,
        None,
        None,
        Some(followed.as_str()),
    );

    // Another partner product for one request.
    demo.show(
        "replace, per-request value",
        &replace,
        None,
        Some(OTHER),
        Some(OTHER.as_str()),
    );

    // Scoped to Microsoft's hosts: 127.0.0.1 is left as it is.
    let scoped = agent_with(Some(
        PartnerUserAgentLayer::new(UA).only_for(HostScope::all_microsoft()),
    ));
    demo.show(
        "replace, only Microsoft's hosts",
        &scoped,
        Some("curl/8.5.0"),
        None,
        Some("curl/8.5.0"),
    );

    // Reject: nothing leaves without a partner User-Agent. The check runs before the agent adds
    // its own value, so a request without one is refused too.
    let reject = agent_with(Some(ValidateUserAgentLayer::reject()));
    demo.show("reject", &reject, Some("curl/8.5.0"), None, None);
    demo.show("reject", &reject, None, None, None);
    demo.show(
        "reject",
        &reject,
        Some(UA.as_str()),
        None,
        Some(UA.as_str()),
    );

    // Warn sends unchanged; repair sends the partner value.
    let warn = agent_with(Some(ValidateUserAgentLayer::warn()));
    demo.show("warn", &warn, Some("curl/8.5.0"), None, Some("curl/8.5.0"));
    let repair = agent_with(Some(ValidateUserAgentLayer::repair(UA)));
    demo.show(
        "repair",
        &repair,
        Some("curl/8.5.0"),
        None,
        Some(UA.as_str()),
    );

    println!();
    if demo.all_as_expected {
        println!("every request was as expected");
        Ok(())
    } else {
        println!("some request was not as expected");
        std::process::exit(1);
    }
}

struct Demo {
    server: Server,
    url: String,
    all_as_expected: bool,
}

impl Demo {
    /// Sends one request with `agent` and prints what the server saw; `expected` is `None` for a
    /// request that must be refused and never reach the server.
    fn show(
        &mut self,
        what: &str,
        agent: &Agent,
        caller: Option<&str>,
        extension: Option<PartnerUserAgent>,
        expected: Option<&str>,
    ) {
        let before = self.server.count();
        let mut request = agent.get(&self.url);
        if let Some(caller) = caller {
            request = request.header("user-agent", caller);
        }
        if let Some(extension) = extension {
            request = request.extension(extension);
        }
        let seen = match request.call() {
            Ok(_) => Some(self.server.last()),
            Err(ureq::Error::Other(error)) => {
                match error.downcast_ref::<ValidateUserAgentError>() {
                    Some(refusal) => {
                        println!("  refused before sending: {refusal}");
                        None
                    }
                    None => Some(vec![format!("error: {error}")]),
                }
            }
            Err(error) => Some(vec![format!("error: {error}")]),
        };
        let as_expected = match (expected, &seen) {
            (Some(expected), Some(seen)) => seen == &[expected],
            (None, None) => self.server.count() == before,
            _ => false,
        };
        self.all_as_expected &= as_expected;
        let seen = match &seen {
            Some(seen) => format!("{seen:?}"),
            None => "nothing".to_owned(),
        };
        let mark = if as_expected {
            ""
        } else {
            "   <- NOT AS EXPECTED"
        };
        let caller = caller.unwrap_or("(none)");
        println!("{what:<34} caller {caller:<40} server saw {seen}{mark}");
    }
}

/// An agent with `AGENT_UA` as its own `user_agent`, and `middleware` if any.
fn agent_with(middleware: Option<impl Middleware>) -> Agent {
    let mut config = Agent::config_builder().user_agent(AGENT_UA);
    if let Some(middleware) = middleware {
        config = config.middleware(middleware);
    }
    Agent::new_with_config(config.build())
}

/// A small HTTP/1.1 server on 127.0.0.1: one request per connection, answered 200, with the
/// User-Agent fields of each request recorded.
struct Server {
    addr: SocketAddr,
    received: Arc<Mutex<Vec<Vec<String>>>>,
}

impl Server {
    fn start() -> std::io::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0")?;
        let addr = listener.local_addr()?;
        let received = Arc::new(Mutex::new(Vec::new()));
        let record = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let record = record.clone();
                std::thread::spawn(move || answer(stream, &record));
            }
        });
        Ok(Server { addr, received })
    }

    fn count(&self) -> usize {
        self.received.lock().map(|r| r.len()).unwrap_or(0)
    }

    fn last(&self) -> Vec<String> {
        self.received
            .lock()
            .ok()
            .and_then(|r| r.last().cloned())
            .unwrap_or_default()
    }
}

fn answer(stream: TcpStream, record: &Mutex<Vec<Vec<String>>>) {
    let mut reader = BufReader::new(&stream);
    let mut fields = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return,
            Ok(_) if line == "\r\n" => break,
            Ok(_) => {
                if let Some((name, value)) = line.split_once(':') {
                    if name.eq_ignore_ascii_case("user-agent") {
                        fields.push(value.trim().to_owned());
                    }
                }
            }
        }
    }
    if let Ok(mut record) = record.lock() {
        record.push(fields);
    }
    let _ =
        (&stream).write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
}
