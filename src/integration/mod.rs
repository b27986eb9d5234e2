//! Glue for other crates, one file per crate, each behind its Cargo feature. Each integration
//! calls the layers' own stamping and checking; the impls are public through the traits they
//! implement, the modules themselves are private.

#[cfg(feature = "azure-core")]
mod azure_core;
#[cfg(feature = "reqwest")]
mod reqwest;
#[cfg(feature = "reqwest-middleware")]
mod reqwest_middleware;
#[cfg(feature = "serde")]
mod serde;
#[cfg(feature = "tower-http")]
mod tower_http;
#[cfg(feature = "ureq")]
mod ureq;
