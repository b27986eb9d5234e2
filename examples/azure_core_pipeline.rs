//! An Azure SDK pipeline, built as a client library builds one, with the partner User-Agent
//! layers pushed to `ClientOptions::per_call_policies`, sending through azure_core's own reqwest
//! transport to a server on 127.0.0.1 that records the User-Agent fields of every request.
//!
//! ```text
//! cargo run --example azure_core_pipeline --features azure-core
//! ```
//!
//! Each line shows one call: the policies, and what the server saw. The program exits with 1 if
//! any of them is not what it should be.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use azure_core::http::policies::Policy;
use azure_core::http::{ClientOptions, Context, Method, Pipeline, Request, Url};
use mde_partner_ua::{
    HostScope, PartnerUserAgent, PartnerUserAgentLayer, ValidateUserAgentError,
    ValidateUserAgentLayer,
};

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");
const OTHER: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoSentinel/2.1");

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .init();
    let server = Server::start()?;
    let url = Url::parse(&format!("http://{}/api/alerts", server.addr))?;
    println!("sending to {url}\n");
    let mut demo = Demo {
        server,
        url,
        all_as_expected: true,
    };

    // What the client library's own `UserAgentPolicy` sends.
    let azsdk = demo
        .show("no policy", &client(Vec::new()), &Context::new(), None)
        .await
        .unwrap_or_default();
    if !azsdk.starts_with("azsdk-rust-security_alerts/1.0.0 (") {
        demo.all_as_expected = false;
    }

    // Replace: the partner value alone.
    let replace = client(vec![Arc::new(PartnerUserAgentLayer::new(UA))]);
    demo.show("replace", &replace, &Context::new(), Some(UA.as_str()))
        .await;

    // Prepend: the partner value, then the client library's value.
    let prepend = client(vec![Arc::new(PartnerUserAgentLayer::prepend(UA))]);
    let expected = format!("{} {azsdk}", UA.as_str());
    demo.show("prepend", &prepend, &Context::new(), Some(&expected))
        .await;

    // Another partner product for one call, in the call's Context.
    let expected = format!("{} {azsdk}", OTHER.as_str());
    let with_other = Context::new().with_value(OTHER);
    demo.show(
        "prepend, value in the Context",
        &prepend,
        &with_other,
        Some(&expected),
    )
    .await;

    // Scoped to Microsoft's hosts: 127.0.0.1 is left as it is.
    let scoped = client(vec![Arc::new(
        PartnerUserAgentLayer::new(UA).only_for(HostScope::all_microsoft()),
    )]);
    demo.show(
        "replace, only Microsoft's hosts",
        &scoped,
        &Context::new(),
        Some(&azsdk),
    )
    .await;

    // Reject: the client library's value is not a partner one; nothing is sent.
    let reject = client(vec![Arc::new(ValidateUserAgentLayer::reject())]);
    demo.show("reject", &reject, &Context::new(), None).await;

    // Prepend, then reject: every call carries the partner value, so every call passes.
    let guarded = client(vec![
        Arc::new(PartnerUserAgentLayer::prepend(UA)),
        Arc::new(ValidateUserAgentLayer::reject()),
    ]);
    let expected = format!("{} {azsdk}", UA.as_str());
    demo.show(
        "prepend, then reject",
        &guarded,
        &Context::new(),
        Some(&expected),
    )
    .await;

    // Warn sends unchanged; repair sends the partner value.
    let warn = client(vec![Arc::new(ValidateUserAgentLayer::warn())]);
    demo.show("warn", &warn, &Context::new(), Some(&azsdk))
        .await;
    let repair = client(vec![Arc::new(ValidateUserAgentLayer::repair(UA))]);
    demo.show("repair", &repair, &Context::new(), Some(UA.as_str()))
        .await;

    println!();
    if demo.all_as_expected {
        println!("every call was as expected");
        Ok(())
    } else {
        println!("some call was not as expected");
        std::process::exit(1);
    }
}

/// The pipeline of a client library named `azure_security_alerts`, as it builds it from the
/// `ClientOptions` its user gives it; `per_call` is what the user pushed.
fn client(per_call: Vec<Arc<dyn Policy>>) -> Pipeline {
    let options = ClientOptions {
        per_call_policies: per_call,
        ..ClientOptions::default()
    };
    Pipeline::new(
        Some("azure_security_alerts"),
        Some("1.0.0"),
        options,
        Vec::new(),
        Vec::new(),
        None,
    )
}

struct Demo {
    server: Server,
    url: Url,
    all_as_expected: bool,
}

impl Demo {
    /// Sends one call through `pipeline` and prints what the server saw; `expected` is `None`
    /// for a call that must be refused and never reach the server. Returns the one User-Agent
    /// the server saw, if it saw one.
    async fn show(
        &mut self,
        what: &str,
        pipeline: &Pipeline,
        ctx: &Context<'_>,
        expected: Option<&str>,
    ) -> Option<String> {
        let before = self.server.count();
        let mut request = Request::new(self.url.clone(), Method::Get);
        let seen = match pipeline.send(ctx, &mut request, None).await {
            Ok(_) => Some(self.server.last()),
            Err(error) => match error.downcast_ref::<ValidateUserAgentError>() {
                Some(refusal) => {
                    println!("  refused before sending: {refusal}");
                    None
                }
                None => Some(vec![format!("error: {error}")]),
            },
        };
        let as_expected = match (expected, &seen) {
            (Some(expected), Some(seen)) => seen == &[expected],
            (None, None) => self.server.count() == before,
            // The first call measures what the client library sends.
            (None, Some(seen)) => what == "no policy" && seen.len() == 1,
            _ => false,
        };
        self.all_as_expected &= as_expected;
        let shown = match &seen {
            Some(seen) => format!("{seen:?}"),
            None => "nothing".to_owned(),
        };
        let mark = if as_expected {
            ""
        } else {
            "   <- NOT AS EXPECTED"
        };
        println!("{what:<32} server saw {shown}{mark}");
        seen.and_then(|mut seen| seen.pop())
    }
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
