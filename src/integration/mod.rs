//! The layers as the middleware of HTTP clients that are not tower services: glue only, each
//! integration calling the layers' own stamping and checking.

#[cfg(feature = "azure-core")]
mod azure_core;
#[cfg(feature = "ureq")]
mod ureq;
