//! Batch operations over any number of inputs: chunked into requests of at most 100, sent with
//! bounded concurrency, and merged back into one [`BatchOutcome`] in input order.

use std::sync::Arc;

use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt, stream};
use hubspot_postal_model::batch::{BatchId, BatchInput, BatchReadRequest, BatchResponse};
use hubspot_postal_model::endpoints;
use hubspot_postal_model::engagement::{
    BatchUpdateItem, CreatePostalMail, PostalMail, UpsertPostalMail, UpsertedPostalMail,
};
use hubspot_postal_model::ids::PostalMailId;
use hubspot_postal_model::limits::BATCH_MAX_INPUTS;
use hubspot_postal_model::properties::validate_name;
use serde::Serialize;

/// `{"inputs": [...]}` over a borrowed chunk.
#[derive(Serialize)]
struct Inputs<'a, I> {
    inputs: &'a [I],
}
use serde::de::DeserializeOwned;

use super::batch_match::{Key, Recognise, merge};
use super::postal_mail::with_inputs;
use crate::client::Client;
use crate::decode::decode;
use crate::error::{Error, Result};
use crate::execute::Call;
use crate::options::BatchReadOptions;
use crate::outcome::{BatchOutcome, ItemError, ItemResult};
use crate::query::Query;

/// How an input addressed by `id_property = value` is named; a record id names itself.
fn unique_key(id_property: Option<&str>, value: &str) -> String {
    match id_property {
        Some(p) if p != "hs_object_id" => format!("{p}={value}"),
        _ => value.to_owned(),
    }
}

struct Plan<'a, I, R> {
    /// The call of every chunk, before its body.
    call: Call,
    keys: Vec<Key>,
    inputs: Vec<I>,
    recognise: Recognise<'a, R>,
    on_error: &'a (dyn Fn(Error, &[I]) -> Error + Sync),
    /// The input an unknown outcome carries (batch create's, the one unsafe to repeat).
    unknown_input: &'a (dyn Fn(&I) -> Option<CreatePostalMail> + Sync),
}

impl Client {
    /// Runs the chunk requests with bounded concurrency; results stay in chunk order.
    async fn drive<T: Send>(
        &self,
        futures: Vec<BoxFuture<'_, Vec<ItemResult<T>>>>,
    ) -> Vec<ItemResult<T>> {
        let per_chunk: Vec<Vec<ItemResult<T>>> = stream::iter(futures)
            .buffered(self.inner.batch_concurrency)
            .collect()
            .await;
        per_chunk.into_iter().flatten().collect()
    }

    async fn run_batch<I, R>(&self, plan: Plan<'_, I, R>) -> BatchOutcome<R>
    where
        I: Serialize + Clone + Send + Sync,
        R: DeserializeOwned + Send,
    {
        let Plan {
            call,
            keys,
            inputs,
            recognise,
            on_error,
            unknown_input,
        } = plan;
        let recognise = &recognise;
        let chunks: Vec<(Vec<I>, Vec<Key>)> = inputs
            .chunks(BATCH_MAX_INPUTS)
            .zip(keys.chunks(BATCH_MAX_INPUTS))
            .map(|(i, k)| (i.to_vec(), k.to_vec()))
            .collect();
        let futures: Vec<BoxFuture<'_, Vec<ItemResult<R>>>> = chunks
            .into_iter()
            .map(|(chunk, keys)| {
                let call = call.clone();
                async move {
                    let outcome = async {
                        let op = call.op;
                        let response = self.send(call.json(&Inputs { inputs: &chunk })?).await?;
                        decode::<BatchResponse<R>>(&op, &response)
                    }
                    .await;
                    match outcome {
                        Ok(response) => {
                            let mut items = merge(&keys, response, recognise);
                            for (item, input) in items.iter_mut().zip(&chunk) {
                                if let Err(ItemError::Unknown(unknown)) = item {
                                    unknown.input = unknown_input(input);
                                }
                            }
                            items
                        }
                        Err(e) => {
                            let shared = Arc::new(on_error(e, &chunk));
                            keys.iter()
                                .map(|_| Err(ItemError::Request(shared.clone())))
                                .collect()
                        }
                    }
                }
                .boxed()
            })
            .collect();
        BatchOutcome {
            items: self.drive(futures).await,
        }
    }

    /// Creates any number of postal mails (`batch/create`, 100 per request).
    ///
    /// Every input is validated before anything is sent. Inputs without an
    /// `objectWriteTraceId` get one (`hubspot-postal-{index}`), so that HubSpot reports
    /// failures per input (207). A chunk whose request may have reached HubSpot is never sent
    /// again: its inputs come back as [`ItemError::Request`] with [`Error::MaybeApplied`].
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::engagement::CreatePostalMail;
    /// let letters: Vec<_> = (0..250)
    ///     .map(|i| CreatePostalMail::new("2026-11-30".parse().unwrap()).body(format!("Letter {i}")))
    ///     .collect();
    /// let outcome = client.batch_create(letters).await?; // 3 requests: 100, 100, 50
    /// for (input, failure) in outcome.failures() {
    ///     eprintln!("letter {input}: {failure}");
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn batch_create(
        &self,
        inputs: Vec<CreatePostalMail>,
    ) -> Result<BatchOutcome<PostalMail>> {
        let mut inputs = inputs;
        for (i, input) in inputs.iter_mut().enumerate() {
            input.validate()?;
            if input.object_write_trace_id.is_none() {
                input.object_write_trace_id = Some(format!("hubspot-postal-{i}"));
            }
        }
        let keys = inputs
            .iter()
            .map(|i| Key {
                id: None,
                trace: i.object_write_trace_id.clone(),
                content: Some(i.properties.clone()),
            })
            .collect();
        Ok(self
            .run_batch(Plan {
                call: self.call_to(&endpoints::BATCH_CREATE, &[], None)?,
                keys,
                inputs,
                recognise: Recognise {
                    key: &|r: &PostalMail| Key {
                        id: None,
                        trace: r.object_write_trace_id.clone(),
                        content: None,
                    },
                    properties: Some(&|r: &PostalMail| &r.properties),
                    writes: true,
                },
                on_error: &|e, chunk: &[CreatePostalMail]| with_inputs(e, chunk.to_vec()),
                unknown_input: &|i: &CreatePostalMail| Some(i.clone()),
            })
            .await)
    }

    /// Reads any number of postal mails by id (`batch/read`). Unknown ids come back as
    /// [`ItemError::Rejected`] (`OBJECT_NOT_FOUND`).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::BatchReadOptions;
    /// let ids = vec!["1001".parse()?, "1002".parse()?];
    /// let outcome = client.batch_read(ids, &BatchReadOptions::new().properties(["hs_timestamp"])).await?;
    /// println!("{} found", outcome.successes().count());
    /// # Ok(()) }
    /// ```
    pub async fn batch_read(
        &self,
        ids: Vec<PostalMailId>,
        options: &BatchReadOptions,
    ) -> Result<BatchOutcome<PostalMail>> {
        let mut q = Query::new();
        if options.archived {
            q.push("archived", "true");
        }
        let call = self.call_to(&endpoints::BATCH_READ, &[], Some(&q))?;
        let keys: Vec<Key> = ids
            .iter()
            .map(|id| Key {
                id: Some(id.to_string()),
                ..Key::default()
            })
            .collect();
        // Batch read's body carries the options beside the inputs, so it is built per chunk.
        let chunks: Vec<Vec<PostalMailId>> =
            ids.chunks(BATCH_MAX_INPUTS).map(<[_]>::to_vec).collect();
        let futures: Vec<BoxFuture<'_, Vec<ItemResult<PostalMail>>>> = chunks
            .into_iter()
            .zip(keys.chunks(BATCH_MAX_INPUTS))
            .map(|(chunk, keys)| {
                let call = call.clone();
                async move {
                    let body = BatchReadRequest {
                        properties: options.properties.clone(),
                        properties_with_history: options.properties_with_history.clone(),
                        id_property: None,
                        inputs: chunk
                            .iter()
                            .map(|id| BatchId { id: id.to_string() })
                            .collect(),
                    };
                    let outcome = async {
                        let op = call.op;
                        let response = self.send(call.json(&body)?).await?;
                        decode::<BatchResponse<PostalMail>>(&op, &response)
                    }
                    .await;
                    match outcome {
                        Ok(r) => merge(
                            keys,
                            r,
                            &Recognise {
                                key: &|p: &PostalMail| Key {
                                    id: Some(p.id.to_string()),
                                    ..Key::default()
                                },
                                properties: None,
                                writes: false,
                            },
                        ),
                        Err(e) => {
                            let shared = Arc::new(e);
                            keys.iter()
                                .map(|_| Err(ItemError::Request(shared.clone())))
                                .collect()
                        }
                    }
                }
                .boxed()
            })
            .collect();
        Ok(BatchOutcome {
            items: self.drive(futures).await,
        })
    }

    /// Updates any number of postal mails (`batch/update`).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::engagement::{BatchUpdateItem, UpdatePostalMail};
    /// let item = BatchUpdateItem::new(&"1001".parse()?, UpdatePostalMail::new().body("Replied"));
    /// let outcome = client.batch_update(vec![item]).await?;
    /// assert!(outcome.is_success());
    /// # Ok(()) }
    /// ```
    pub async fn batch_update(
        &self,
        inputs: Vec<BatchUpdateItem>,
    ) -> Result<BatchOutcome<PostalMail>> {
        for input in &inputs {
            input.update.validate()?;
            if input.id_property.is_none() {
                PostalMailId::new(input.id.as_str())
                    .map_err(hubspot_postal_model::validation::ValidationError::from)?;
            }
        }
        // An input addressed by a unique property is named `property=value`, the way a result
        // carrying that property names it; a record id names itself.
        let keys = inputs
            .iter()
            .map(|i| Key {
                id: Some(unique_key(i.id_property.as_deref(), &i.id)),
                trace: i.object_write_trace_id.clone(),
                content: None,
            })
            .collect();
        let props: Vec<String> = inputs
            .iter()
            .filter_map(|i| i.id_property.clone())
            .collect();
        let result_key = move |r: &PostalMail| Key {
            id: props
                .iter()
                .find_map(|p| r.properties.get(p).map(|v| unique_key(Some(p), v)))
                .or_else(|| Some(r.id.to_string())),
            trace: r.object_write_trace_id.clone(),
            content: None,
        };
        Ok(self
            .run_batch(Plan {
                call: self.call_to(&endpoints::BATCH_UPDATE, &[], None)?,
                keys,
                inputs,
                // A result that does not echo the unique property it was addressed by names
                // nobody; its input is reported unknown (an update is safe to repeat).
                recognise: Recognise {
                    key: &result_key,
                    properties: None,
                    writes: true,
                },
                on_error: &|e, _: &[BatchUpdateItem]| e,
                unknown_input: &|_: &BatchUpdateItem| None,
            })
            .await)
    }

    /// Creates or updates postal mails keyed on a unique property (`batch/upsert`). Repeating
    /// an upsert finds the record the first one wrote, so it is retried like a read.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::{engagement::UpsertPostalMail, properties::Properties};
    /// let mut properties = Properties::new();
    /// properties.insert("hs_timestamp", "2026-11-30T00:00:00.000Z");
    /// let input = UpsertPostalMail::new("letter_reference", "REF-42", properties)?;
    /// let outcome = client.batch_upsert(vec![input]).await?;
    /// for (_, result) in outcome.successes() { println!("{} new: {}", result.postal_mail.id, result.new); }
    /// # Ok(()) }
    /// ```
    pub async fn batch_upsert(
        &self,
        inputs: Vec<UpsertPostalMail>,
    ) -> Result<BatchOutcome<UpsertedPostalMail>> {
        for input in &inputs {
            validate_name(&input.id_property)?;
        }
        let keys = inputs
            .iter()
            .map(|i| Key {
                id: Some(unique_key(Some(&i.id_property), &i.id)),
                trace: i.object_write_trace_id.clone(),
                content: Some(i.properties.clone()),
            })
            .collect();
        let props: Vec<String> = inputs.iter().map(|i| i.id_property.clone()).collect();
        let result_key = move |r: &UpsertedPostalMail| Key {
            id: props.iter().find_map(|p| {
                r.postal_mail
                    .properties
                    .get(p)
                    .map(|v| unique_key(Some(p), v))
            }),
            trace: r.postal_mail.object_write_trace_id.clone(),
            content: None,
        };
        Ok(self
            .run_batch(Plan {
                call: self.call_to(&endpoints::BATCH_UPSERT, &[], None)?,
                keys,
                inputs,
                recognise: Recognise {
                    key: &result_key,
                    properties: Some(&|r: &UpsertedPostalMail| &r.postal_mail.properties),
                    writes: true,
                },
                on_error: &|e, _: &[UpsertPostalMail]| e,
                unknown_input: &|_: &UpsertPostalMail| None,
            })
            .await)
    }

    /// Archives any number of postal mails (`batch/archive` → 204).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// let outcome = client.batch_archive(vec!["1001".parse()?, "1002".parse()?]).await?;
    /// assert!(outcome.is_success());
    /// # Ok(()) }
    /// ```
    pub async fn batch_archive(&self, ids: Vec<PostalMailId>) -> Result<BatchOutcome<()>> {
        let call = &self.call_to(&endpoints::BATCH_ARCHIVE, &[], None)?;
        let chunks: Vec<Vec<PostalMailId>> =
            ids.chunks(BATCH_MAX_INPUTS).map(<[_]>::to_vec).collect();
        let futures: Vec<BoxFuture<'_, Vec<ItemResult<()>>>> = chunks
            .into_iter()
            .map(|chunk| {
                async move {
                    let body = BatchInput {
                        inputs: chunk
                            .iter()
                            .map(|id| BatchId { id: id.to_string() })
                            .collect::<Vec<_>>(),
                    };
                    let outcome = async { self.call_empty(call.clone().json(&body)?).await }.await;
                    match outcome {
                        Ok(()) => chunk.iter().map(|_| Ok(())).collect(),
                        Err(e) => {
                            let shared = Arc::new(e);
                            chunk
                                .iter()
                                .map(|_| Err(ItemError::Request(shared.clone())))
                                .collect()
                        }
                    }
                }
                .boxed()
            })
            .collect();
        Ok(BatchOutcome {
            items: self.drive(futures).await,
        })
    }
}
