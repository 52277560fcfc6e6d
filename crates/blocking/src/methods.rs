//! The blocking client's operations: one generic [`Client::execute`] that runs any typed
//! request of [`hubspot_postal::requests`] on the runtime thread, and a method per operation
//! generated from the async client's one list of operations, so no operation is written twice.

use hubspot_postal::requests::Request;
use hubspot_postal::{Error, Result};

use crate::client::Client;
use crate::errors;

impl Client {
    /// Runs a typed request of [`hubspot_postal::requests`] and waits for its result, for at
    /// most the client's [`timeout`](Self::timeout).
    ///
    /// When the call is cut off after the request may have been sent (it timed out, or the
    /// runtime thread is gone), an operation that is not safe to repeat (a create, a merge, a
    /// raw request not declared idempotent) fails with [`Error::MaybeApplied`], carrying the
    /// letters a create would have logged.
    ///
    /// ```no_run
    /// use hubspot_postal_blocking::Client;
    /// use hubspot_postal_blocking::requests::Get;
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let client = Client::new(std::env::var("HUBSPOT_ACCESS_TOKEN")?)?;
    /// let letter = client.execute(Get { id: "25727582880".parse()?, options: Default::default() })?;
    /// println!("{}", letter.id);
    /// # Ok(()) }
    /// ```
    pub fn execute<R>(&self, request: R) -> Result<R::Output>
    where
        R: Request + Send + 'static,
        R::Output: Send + 'static,
    {
        let unsafe_to_repeat = !request.repeat_safe();
        let reconcile = if unsafe_to_repeat {
            request.reconcile_inputs()
        } else {
            Vec::new()
        };
        let client = self.inner();
        let result = self.run(R::NAME, async move { request.execute(&client).await });
        if unsafe_to_repeat {
            result.map_err(|e: Error| errors::reconcile(R::NAME, reconcile, e))
        } else {
            result
        }
    }
}

/// Generates one blocking method per entry of the operation list.
macro_rules! blocking_methods {
    ($(
        $(#[$doc:meta])*
        $name:ident : $Struct:ident => [$($endpoint:ident)?]
            ( $($arg:ident : [$($pty:tt)*] $fty:ty),* $(,)? ) -> $out:ty
            $(, reconcile $rf:ident)? $(, repeat_safe_if $flag:ident)? ;
    )*) => {
        impl Client {
            $(
                $(#[$doc])*
                ///
                #[doc = concat!("The blocking form of [`hubspot_postal::Client::", stringify!($name), "`], which says what it sends and returns; it runs [`", stringify!($Struct), "`](hubspot_postal::requests::", stringify!($Struct), ") through [`execute`](Self::execute).")]
                pub fn $name(&self, $($arg: $($pty)*),*) -> Result<$out> {
                    self.execute(hubspot_postal::requests::$Struct {
                        $($arg: hubspot_postal::__own!([$($pty)*] $arg)),*
                    })
                }
            )*
        }
    };
}

hubspot_postal::__operations!(blocking_methods);
