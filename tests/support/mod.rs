//! Shared test helpers: a real HTTP server on 127.0.0.1 that records the `User-Agent` fields of
//! every request, and the small helpers several test files use.

#![allow(dead_code)]

use std::collections::HashSet;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::header::USER_AGENT;
use http::{HeaderMap, Request, Response, StatusCode};
use http_body_util::Full;
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// A request that carries this header, with an id as value, is answered 503 the first time
/// its id is seen and 200 after that.
pub const FAIL_FIRST_TRY: &str = "x-fail-first-try";

/// Serves HTTP/1.1 and HTTP/2 (prior knowledge) on 127.0.0.1 until dropped.
pub struct RecordingServer {
    pub addr: SocketAddr,
    state: Arc<State>,
    task: JoinHandle<()>,
}

#[derive(Default)]
struct State {
    /// The `User-Agent` fields of each request, in arrival order, as raw bytes.
    received: Mutex<Vec<Vec<Vec<u8>>>>,
    failed_once: Mutex<HashSet<Vec<u8>>>,
}

impl RecordingServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let state = Arc::new(State::default());
        let task = tokio::spawn(accept(listener, state.clone()));
        RecordingServer { addr, state, task }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// The `User-Agent` fields of every request received so far.
    pub fn received(&self) -> Vec<Vec<Vec<u8>>> {
        self.state.received.lock().unwrap().clone()
    }

    /// The `User-Agent` fields of every request received so far, as text.
    pub fn received_text(&self) -> Vec<Vec<String>> {
        self.received()
            .into_iter()
            .map(|fields| {
                fields
                    .into_iter()
                    .map(|field| String::from_utf8(field).unwrap())
                    .collect()
            })
            .collect()
    }

    pub fn request_count(&self) -> usize {
        self.state.received.lock().unwrap().len()
    }
}

impl Drop for RecordingServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn accept(listener: TcpListener, state: Arc<State>) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let state = state.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| answer(state.clone(), request));
            // A client that goes away mid-connection is not the server's failure.
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

async fn answer(
    state: Arc<State>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let fields = ua_fields(request.headers());
    state.received.lock().unwrap().push(fields.clone());

    if let Some(id) = request.headers().get(FAIL_FIRST_TRY) {
        if state
            .failed_once
            .lock()
            .unwrap()
            .insert(id.as_bytes().to_vec())
        {
            let mut response = Response::new(Full::new(Bytes::from_static(b"try again")));
            *response.status_mut() = StatusCode::SERVICE_UNAVAILABLE;
            return Ok(response);
        }
    }
    // The body lists the fields received, one per line.
    let body = fields.join(&b'\n');
    Ok(Response::new(Full::new(Bytes::from(body))))
}

/// The `User-Agent` fields of `headers`, in order, as raw bytes.
pub fn ua_fields(headers: &HeaderMap) -> Vec<Vec<u8>> {
    headers
        .get_all(USER_AGENT)
        .iter()
        .map(|value| value.as_bytes().to_vec())
        .collect()
}

/// `a ` followed by `depth` open parentheses and `closed` closing ones.
pub fn nested(depth: usize, closed: usize) -> Vec<u8> {
    let mut value = b"a ".to_vec();
    value.extend(std::iter::repeat_n(b'(', depth));
    value.extend(std::iter::repeat_n(b')', closed));
    value
}

/// Polls `future` once with a waker that does nothing: the futures of the layers above a
/// ready inner service finish in one poll.
pub fn poll_once<F: std::future::Future>(future: F) -> std::task::Poll<F::Output> {
    let waker = noop_waker();
    let mut context = std::task::Context::from_waker(&waker);
    std::pin::pin!(future).poll(&mut context)
}

/// A waker that does nothing.
pub fn noop_waker() -> std::task::Waker {
    struct NoWake;
    impl std::task::Wake for NoWake {
        fn wake(self: Arc<Self>) {}
    }
    std::task::Waker::from(Arc::new(NoWake))
}
