//! Typed domain model and exact wire format for HubSpot CRM postal mail engagements.
//!
//! This crate is pure data: no I/O, no async. It gives real types to what HubSpot sends as
//! strings (timestamps, attachment lists, owner ids), keeps every unknown or custom property so
//! that decoding then encoding loses nothing, validates ids so that no input can change a URL
//! path, and defines HubSpot's facts (association type ids, limits, the endpoint table of
//! operations, methods and paths per API version) once for the client,
//! the emulator and the CLI.
//!
//! ```
//! use hubspot_postal_model::association::AssociationInput;
//! use hubspot_postal_model::engagement::CreatePostalMail;
//! use hubspot_postal_model::ids::RecordId;
//! use hubspot_postal_model::object_type::ObjectType;
//! use hubspot_postal_model::timestamp::Timestamp;
//!
//! let letter = CreatePostalMail::new("2021-11-12".parse::<Timestamp>()?)
//!     .body("Sent copy of contract to decision maker John")
//!     .associate(AssociationInput::default_to(&ObjectType::Contact, RecordId::new("501")?).unwrap());
//! let json = serde_json::to_value(&letter)?;
//! assert_eq!(json["properties"]["hs_timestamp"], "2021-11-12T00:00:00.000Z");
//! assert_eq!(json["associations"][0]["types"][0]["associationTypeId"], 453);
//! // The body never shows in Debug output.
//! assert!(!format!("{letter:?}").contains("John"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod association;
pub mod attachments;
pub mod batch;
pub mod endpoints;
pub mod engagement;
pub mod error;
pub mod headers;
pub mod ids;
pub mod limits;
pub mod object_type;
pub mod paging;
pub mod paths;
pub mod pin;
pub mod properties;
pub mod record;
pub mod search;
pub mod timestamp;
pub mod validation;
