//! Schema flavours: the one validation schema of a tool, generated from its
//! Rust parameter types, turned into what each kind of host accepts.
//!
//! | flavour | for | made by |
//! |---|---|---|
//! | `inputSchema` | the catalogue's own validation, Rust hosts | [`crate::schema::full_input_schema`] |
//! | `formSchema` | RJSF, JSON Forms, any form builder | [`form`] |
//! | `uiSchema` / `uischema` | RJSF / JSON Forms layout | [`ui`] / [`jsonforms_ui`] |
//! | `connectionSchema` (+ `connectionUiSchema`) | the credential form, drawn once | [`connection`] / [`connection_ui`] |
//! | `portableSchema` | MCP `tools/list`, AI hosts (Gemini's subset) | [`portable`] |
//! | `strictSchema` | OpenAI strict function calling | [`strict`] |
//! | `portableOutputSchema` | output schemas for AI hosts | [`portable_output`] |
//!
//! Every flavour is a pure function of the validation flavour, so a rule
//! stated once in a Rust type (an enum, a date layout, a JSON-text list with
//! its item shape and counts, a comma list of documented values, a
//! cross-field [`Rule`]) reaches every host in the form that host reads.
//!
//! [`Rule`]: crate::rules::Rule

use crate::options;
use crate::params::{Connection, DATE_KEYWORD, LIST_KEYWORD};
use serde_json::{Map, Value, json};

mod titles;
pub use titles::*;
mod form;
pub use form::*;
mod ui;
pub use ui::*;
mod connection;
pub use connection::*;
mod portable;
pub use portable::*;

/// The schema flavours a tool's manifest carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flavour {
    /// `inputSchema`: 2020-12, every rule stated, connection included.
    Input,
    /// `outputSchema`: 2020-12.
    Output,
    /// `formSchema`: draft-07, the tool's own inputs, no custom keywords.
    Form,
    /// `uiSchema`: RJSF hints for `formSchema`.
    Ui,
    /// `uischema`: a JSON Forms layout for `formSchema`.
    JsonFormsUi,
    /// `connectionSchema`: the connection (credential) form.
    Connection,
    /// `connectionUiSchema`: RJSF hints for `connectionSchema`.
    ConnectionUi,
    /// `portableSchema`: Gemini's function-declaration subset.
    Portable,
    /// `strictSchema`: OpenAI's strict function-calling form.
    Strict,
    /// `portableOutputSchema`: the output under the portable rules.
    PortableOutput,
}

impl Flavour {
    /// Every flavour, in manifest order.
    pub const ALL: [Flavour; 10] = [
        Flavour::Input,
        Flavour::Output,
        Flavour::Form,
        Flavour::Ui,
        Flavour::JsonFormsUi,
        Flavour::Connection,
        Flavour::ConnectionUi,
        Flavour::Portable,
        Flavour::Strict,
        Flavour::PortableOutput,
    ];

    /// The manifest key of the flavour (`formSchema`, ...).
    pub fn key(self) -> &'static str {
        match self {
            Flavour::Input => "inputSchema",
            Flavour::Output => "outputSchema",
            Flavour::Form => "formSchema",
            Flavour::Ui => "uiSchema",
            Flavour::JsonFormsUi => "uischema",
            Flavour::Connection => "connectionSchema",
            Flavour::ConnectionUi => "connectionUiSchema",
            Flavour::Portable => "portableSchema",
            Flavour::Strict => "strictSchema",
            Flavour::PortableOutput => "portableOutputSchema",
        }
    }

    /// The short name used on the command line (`input`, `form`, `ui`,
    /// `jsonforms`, `connection`, `connection-ui`, `portable`, `strict`,
    /// `output`, `portable-output`).
    pub fn name(self) -> &'static str {
        match self {
            Flavour::Input => "input",
            Flavour::Output => "output",
            Flavour::Form => "form",
            Flavour::Ui => "ui",
            Flavour::JsonFormsUi => "jsonforms",
            Flavour::Connection => "connection",
            Flavour::ConnectionUi => "connection-ui",
            Flavour::Portable => "portable",
            Flavour::Strict => "strict",
            Flavour::PortableOutput => "portable-output",
        }
    }

    /// The flavour with this short name or manifest key.
    pub fn from_name(name: &str) -> Option<Flavour> {
        Flavour::ALL
            .into_iter()
            .find(|f| f.name() == name || f.key() == name)
    }
}

/// The draft-07 meta-schema URI, which every JSON Schema library knows.
pub const DRAFT_07: &str = "http://json-schema.org/draft-07/schema#";

/// The fields every paginated tool shares; forms put them under "Advanced".
pub const PAGING_FIELDS: [&str; 4] = ["page", "perPage", "returnAll", "maxResults"];

/// The flavours derived from one block's input and output schemas (a
/// tool's, or a trigger's filters and payload), made together on first use
/// by the catalogue.
pub(crate) struct Derived {
    pub(crate) form: Value,
    pub(crate) ui: Value,
    pub(crate) jsonforms_ui: Value,
    pub(crate) portable: Value,
    pub(crate) strict: Value,
    pub(crate) portable_output: Value,
}

impl Derived {
    /// Every derived flavour of a block with these schemas and words.
    pub(crate) fn of(input: &Value, output: &Value, title: &str, description: &str) -> Self {
        let form = form(input, title, description);
        Self {
            ui: ui(&form, input),
            jsonforms_ui: jsonforms_ui(&form),
            portable: portable(&form),
            strict: strict(&form),
            portable_output: portable_output(output),
            form,
        }
    }
}
