//! `StoryError`: what the examples can fail with. Its `Display` is what they print before
//! exiting with status 1; a HubSpot error includes its category and correlation id.

/// A failed step of the story.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoryError {
    /// HubSpot, or the client on its behalf, said no.
    #[error("{0}")]
    Api(#[from] hubspot_postal::Error),
    /// An id or value the model refused.
    #[error("invalid input: {0}")]
    Validation(#[from] hubspot_postal::model::validation::ValidationError),
    /// An id the model refused.
    #[error("invalid id: {0}")]
    Id(#[from] hubspot_postal::model::ids::IdError),
    /// The embedded emulator did not start.
    #[error("the embedded emulator did not start: {0}")]
    Emulator(#[from] hubspot_postal_emulator::EmulatorError),
    /// Printing the timeline failed.
    #[error("cannot print: {0}")]
    Io(#[from] std::io::Error),
    /// Something the environment must provide is missing.
    #[error("{0}")]
    Setup(String),
    /// HubSpot answered, but not what the story expected.
    #[error("unexpected: {0}")]
    Unexpected(String),
}
