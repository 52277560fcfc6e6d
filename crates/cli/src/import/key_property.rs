//! Checking `--key-property` before the first row is sent: the property must exist on postal
//! mail and have unique values (`hasUniqueValue`), or an upsert keyed by it cannot promise
//! "one letter per row". Read with HubSpot's properties API
//! (`GET /crm/v3/properties/postal_mail/{name}`, `paths::PROPERTY`) through [`Client::raw`], since the client
//! has no typed call for it.

use hubspot_postal::Client;
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::paths;
use hubspot_postal::transport::http::Method;
use serde_json::Value;

use crate::error::CliError;

/// Checks `name` (already a valid property name). A token that may not read property
/// definitions (403) is no reason to stop: HubSpot's upsert refuses a property that is not
/// unique itself, without writing anything. Returns a warning to print in that case.
pub async fn check(client: &Client, name: &str) -> Result<Option<String>, CliError> {
    let path = paths::property(&ObjectType::PostalMail, name);
    match client.raw(Method::GET, &path, None, true).await {
        Ok(answer) => {
            let definition: Value = answer.json()?;
            if definition.get("hasUniqueValue").and_then(Value::as_bool) == Some(true) {
                Ok(None)
            } else {
                Err(CliError::Usage(format!(
                    "--key-property {name}: postal mail's property {name} does not have unique values (hasUniqueValue is not true), so it cannot key an upsert; create a property with unique values and pass its name"
                )))
            }
        }
        Err(e) if e.status() == Some(404) => Err(CliError::Usage(format!(
            "--key-property {name}: postal mail has no property {name}; create it first, as a text property with unique values (hasUniqueValue: true)"
        ))),
        Err(e) if e.status() == Some(403) => Ok(Some(format!(
            "warning: could not check --key-property {name} (the token may not read property definitions: {e}); HubSpot refuses the upserts if it is not a unique property"
        ))),
        Err(e) => Err(e.into()),
    }
}
