//! A soak of the stamping layer under concurrency: resident memory stays flat. Alone in its test
//! binary, so that no other test's allocations move the figures.

use std::convert::Infallible;
use std::time::Duration;

use http::header::USER_AGENT;
use http::Request;
use mde_partner_ua::{PartnerUserAgent, PartnerUserAgentLayer};
use tower::{ServiceBuilder, ServiceExt};

const UA: PartnerUserAgent =
    PartnerUserAgent::from_static("MdePartner-Contoso-ContosoCognito/1.0.0");

fn resident_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn memory_stays_flat_under_a_concurrent_soak() {
    const TASKS: usize = 100;
    const REQUESTS: usize = 100_000;
    let inner = tower::service_fn(|request: Request<()>| async move {
        assert_eq!(request.headers().get_all(USER_AGENT).iter().count(), 1);
        Ok::<_, Infallible>(())
    });
    let client = ServiceBuilder::new()
        .buffer(1024)
        .concurrency_limit(TASKS)
        .timeout(Duration::from_secs(30))
        .layer(PartnerUserAgentLayer::prepend(UA))
        .service(inner);

    let round = |requests: usize| {
        let client = client.clone();
        async move {
            let mut tasks = Vec::new();
            for _ in 0..TASKS {
                let client = client.clone();
                tasks.push(tokio::spawn(async move {
                    for _ in 0..requests / TASKS {
                        let request = Request::get("https://api.security.microsoft.com/api/alerts")
                            .header(USER_AGENT, "curl/8.5.0")
                            .body(())
                            .unwrap();
                        client.clone().oneshot(request).await.unwrap();
                    }
                }));
            }
            for task in tasks {
                task.await.unwrap();
            }
        }
    };
    // Warm up, so that the buffer, the runtime and the allocator reach their working size.
    round(REQUESTS / 10).await;
    let before = resident_kib();
    round(REQUESTS).await;
    let after = resident_kib();
    let (Some(before), Some(after)) = (before, after) else {
        println!("skipped: no /proc/self/status to read resident memory from");
        return;
    };
    println!("resident memory: {before} KiB before, {after} KiB after {REQUESTS} requests");
    // One leaked header value per request would be several MiB here.
    assert!(
        after < before + 2 * 1024,
        "grew from {before} KiB to {after} KiB"
    );
}
