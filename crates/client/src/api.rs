//! `PostalMailApi`: the postal mail API as a trait, implemented by [`crate::Client`], so that a
//! service can depend on the trait and mock it in its own tests (feature `mock` gives
//! `MockPostalMailApi`). Generated, with its implementation, from the client's one list of
//! operations, so it always has every operation of the client.

use async_trait::async_trait;

use crate::client::Client;
use crate::error::Result;

/// Generates the trait and its forwarding implementation from the operation list.
macro_rules! api_trait {
    ($(
        $(#[$doc:meta])*
        $name:ident : $Struct:ident => [$($endpoint:ident)?]
            ( $($arg:ident : [$($pty:tt)*] $fty:ty),* $(,)? ) -> $out:ty
            $(, reconcile $rf:ident)? $(, repeat_safe_if $flag:ident)? ;
    )*) => {
        /// Every postal mail operation. See the methods of [`Client`] of the same names for what
        /// each sends and returns.
        ///
        /// ```
        /// # #[cfg(feature = "mock")] {
        /// use hubspot_postal::{MockPostalMailApi, PostalMailApi};
        /// use hubspot_postal::model::ids::PostalMailId;
        /// let mut api = MockPostalMailApi::new();
        /// api.expect_archive().returning(|_| Ok(()));
        /// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        /// rt.block_on(async { api.archive(&PostalMailId::new("1").unwrap()).await.unwrap() });
        /// # }
        /// ```
        #[cfg_attr(feature = "mock", mockall::automock)]
        #[async_trait]
        pub trait PostalMailApi: Send + Sync {
            $(
                $(#[$doc])*
                #[doc = concat!("\n\nSee [`Client::", stringify!($name), "`].")]
                async fn $name(&self, $($arg: $($pty)*),*) -> Result<$out>;
            )*
        }

        #[async_trait]
        impl PostalMailApi for Client {
            $(
                async fn $name(&self, $($arg: $($pty)*),*) -> Result<$out> {
                    Client::$name(self, $($arg),*).await
                }
            )*
        }
    };
}

crate::__operations!(api_trait);
