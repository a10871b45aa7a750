//! How a record Thrive sends is declared: once, by [`record!`](crate::wire::record).
//!
//! Every object Thrive answers with (a user, an enrolment, a CPD entry, an
//! event payload …) is read into a public struct with the same promises:
//! it can be printed, cloned, compared, written back as JSON and described
//! as JSON Schema; its fields are Thrive's camelCase names; and fields that
//! Thrive sends but the struct does not model are kept, in a flattened
//! [`Extra`] map, so a workflow never loses data when Thrive adds a field.
//! Those promises are written here once instead of above each record, so
//! a new record cannot forget the `extra` map.

/// Fields of a response object that the tool does not model, kept as they came.
pub type Extra = serde_json::Map<String, serde_json::Value>;

/// Declares a public record Thrive sends, with the derives, the camelCase
/// names and the trailing `extra` field that every record has (see the
/// [module docs](self)). Attributes and doc comments written before
/// `pub struct` are kept, so a record that also needs `Default` says
/// `#[derive(Default)]` there.
///
/// ```ignore
/// record! {
///     /// A CPD category.
///     pub struct CpdCategory {
///         /// Unique ID for this category record.
///         pub category_id: Option<String>,
///     }
/// }
/// ```
macro_rules! record {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($fields:tt)* }
    ) => {
        $(#[$meta])*
        #[derive(
            Debug,
            Clone,
            PartialEq,
            ::serde::Serialize,
            ::serde::Deserialize,
            ::schemars::JsonSchema,
        )]
        #[serde(rename_all = "camelCase")]
        pub struct $name {
            $($fields)*
            /// Fields Thrive sent that are not modelled here.
            #[serde(flatten)]
            pub extra: $crate::wire::record::Extra,
        }
    };
}

pub(crate) use record;
