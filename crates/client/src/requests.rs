//! Every operation as a typed request value: build one, then run it with
//! [`Client::execute`] (or `hubspot_postal_blocking::Client::execute`, which runs the same value
//! from synchronous code). The types are generated from the client's one list of operations,
//! and [`ALL`] names each with its endpoint-table row.
//!
//! ```no_run
//! # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
//! use hubspot_postal::GetOptions;
//! use hubspot_postal::requests::{Get, Request};
//!
//! let request = Get { id: "25727582880".parse()?, options: GetOptions::new() };
//! assert_eq!(Get::NAME, "get");
//! let letter = client.execute(request).await?;
//! println!("{}", letter.id);
//! # Ok(()) }
//! ```

use std::future::Future;

use hubspot_postal_model::endpoints::Endpoint;
use hubspot_postal_model::engagement::CreatePostalMail;

use crate::client::Client;
use crate::error::Result;

/// One operation of the client as a value.
///
/// Implemented by every type of this module; [`Client::execute`] runs one.
///
/// ```
/// use hubspot_postal::requests::{BatchCreate, Create, Request};
/// use hubspot_postal::model::endpoints;
/// assert_eq!(Create::ENDPOINT, Some(&endpoints::CREATE));
/// assert_eq!(BatchCreate::NAME, "batch_create");
/// ```
pub trait Request: Sized {
    /// What a success returns.
    type Output;
    /// The method's name (`batch_create`), also the blocking method's.
    const NAME: &'static str;
    /// The endpoint-table row it sends to (the first one, for operations that send more than
    /// one request); `None` for [`Raw`], which is not in the table.
    const ENDPOINT: Option<&'static Endpoint>;

    /// Runs the operation on `client`.
    fn execute(self, client: &Client) -> impl Future<Output = Result<Self::Output>> + Send + '_;

    /// The letters this request would create, reported as "may have been applied" when a
    /// call is cut off after it may have been sent (empty for other operations).
    fn reconcile_inputs(&self) -> Vec<CreatePostalMail>;

    /// Whether repeating the request after it may have reached HubSpot is safe.
    fn repeat_safe(&self) -> bool;
}

/// The letters a request's field holds, for [`Request::reconcile_inputs`].
#[doc(hidden)]
pub trait Reconcile {
    /// A copy of the letters.
    fn inputs(&self) -> Vec<CreatePostalMail>;
}

impl Reconcile for CreatePostalMail {
    fn inputs(&self) -> Vec<CreatePostalMail> {
        vec![self.clone()]
    }
}

impl Reconcile for Vec<CreatePostalMail> {
    fn inputs(&self) -> Vec<CreatePostalMail> {
        self.clone()
    }
}

/// Generates a request type and its [`Request`] implementation per entry, and [`ALL`].
macro_rules! requests {
    ($(
        $(#[$doc:meta])*
        $name:ident : $Struct:ident => [$($endpoint:ident)?]
            ( $($arg:ident : [$($pty:tt)*] $fty:ty),* $(,)? ) -> $out:ty
            $(, reconcile $rf:ident)? $(, repeat_safe_if $flag:ident)? ;
    )*) => {
        $(
            $(#[$doc])*
            ///
            #[doc = concat!("The request of [`Client::", stringify!($name), "`]: run it with [`Client::execute`], or the blocking client's `execute`.")]
            #[derive(Debug, Clone)]
            pub struct $Struct {
                $(
                    #[doc = concat!("The `", stringify!($arg), "` argument of [`Client::", stringify!($name), "`].")]
                    pub $arg: $fty,
                )*
            }

            impl Request for $Struct {
                type Output = $out;
                const NAME: &'static str = stringify!($name);
                const ENDPOINT: Option<&'static Endpoint> = $crate::__endpoint!($($endpoint)?);

                fn execute(self, client: &Client) -> impl Future<Output = Result<$out>> + Send + '_ {
                    let Self { $($arg),* } = self;
                    async move { client.$name($($crate::__pass!([$($pty)*] $arg)),*).await }
                }

                fn reconcile_inputs(&self) -> Vec<CreatePostalMail> {
                    <Vec<Vec<CreatePostalMail>>>::from([$(Reconcile::inputs(&self.$rf))?]).concat()
                }

                fn repeat_safe(&self) -> bool {
                    let by_row = Self::ENDPOINT.is_none_or(|e| e.idempotency().is_retry_safe());
                    by_row $(&& self.$flag)?
                }
            }
        )*

        /// Every operation: its name and its endpoint-table row, in the list's order.
        ///
        /// ```
        /// use hubspot_postal::model::endpoints::ENDPOINTS;
        /// // Every row of the endpoint table has an operation of the client.
        /// for row in ENDPOINTS {
        ///     assert!(hubspot_postal::requests::ALL.iter().any(|(_, e)| *e == Some(row)), "{}", row.name());
        /// }
        /// ```
        pub const ALL: &[(&str, Option<&Endpoint>)] = &[$((stringify!($name), <$Struct as Request>::ENDPOINT)),*];
    };
}

crate::__operations!(requests);

impl Client {
    /// Runs a typed request: the same as calling the method of its name.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::requests::Archive;
    /// client.execute(Archive { id: "25727582880".parse()? }).await?;
    /// # Ok(()) }
    /// ```
    pub async fn execute<R: Request>(&self, request: R) -> Result<R::Output> {
        request.execute(self).await
    }
}
