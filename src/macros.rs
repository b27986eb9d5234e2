/// Adds `get_ref`, `get_mut` and `into_inner` to a service that wraps `inner`.
///
/// `$setup` is doc-test code that binds `svc`, a service wrapping `inner` (a `service_fn`).
macro_rules! define_inner_service_accessors {
    ($setup:literal) => {
        #[doc = concat!(
                                    "Gets a reference to the inner service.\n\n```\n",
                                    $setup,
                                    "\nlet _inner = svc.get_ref();\n```"
                                )]
        pub fn get_ref(&self) -> &S {
            &self.inner
        }

        #[doc = concat!(
                                    "Gets a mutable reference to the inner service.\n\n```\n",
                                    $setup,
                                    "\nlet mut svc = svc;\nlet _inner = svc.get_mut();\n```"
                                )]
        pub fn get_mut(&mut self) -> &mut S {
            &mut self.inner
        }

        #[doc = concat!(
                                    "Consumes `self`, returning the inner service.\n\n```\n",
                                    $setup,
                                    "\nlet _inner = svc.into_inner();\n```"
                                )]
        pub fn into_inner(self) -> S {
            self.inner
        }
    };
}
