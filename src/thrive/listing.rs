//! Read tools whose only inputs are the paging pair and `updatedSince`
//! (CPD categories, CPD requirement summaries, tags): each one a
//! [`updated_since_list!`] declaration naming what differs (ids, endpoint,
//! item type, paging limit and the wording of `updatedSince`), the rest
//! written here once.

/// Declares a paged read tool filtered only by `updatedSince`: the unit
/// struct (documented by the description, written once), its params (`page`/`perPage`
/// flattened from `paging`, then `updatedSince` with the given doc), and a
/// [`Tool`](crate::Tool) impl that checks the date, sends the params as the
/// query and reads a page of `item`.
macro_rules! updated_since_list {
    (
        $name:ident($params:ident) -> Page<$item:ty> {
            description: $description:literal,
            id: $id:literal,
            title: $title:literal,
            endpoint: $endpoint:literal,
            paging: $paging:ident,
            $(#[doc = $since_doc:literal])+
            updated_since $(,)?
        }
    ) => {
        #[doc = $description]
        pub struct $name;

        #[doc = concat!("Inputs of [`", stringify!($name), "`].")]
        #[derive(Debug, serde::Deserialize, serde::Serialize, schemars::JsonSchema)]
        #[serde(rename_all = "camelCase")]
        pub struct $params {
            /// `page` and `perPage`.
            #[serde(flatten)]
            pub paging: $crate::thrive::paging::$paging,
            $(#[doc = $since_doc])+
            pub updated_since: Option<$crate::params::DateText<$crate::params::Instant>>,
        }

        impl $crate::block::Block for $name {
            type Params = $params;
            type Output = $crate::thrive::common::Page<$item>;

            const ID: &'static str = $id;
            const TITLE: &'static str = $title;
            const DESCRIPTION: &'static str = $description;
            const ENDPOINT: &'static str = $endpoint;
            const HINTS: $crate::tool::Hints = $crate::tool::Hints::READ;
            const PAGING: $crate::tool::Paging = $crate::thrive::paging::$paging::PAGING;

            fn validate(p: &Self::Params, out: &mut Vec<$crate::error::Violation>) {
                $crate::params::check_date_input("updatedSince", p.updated_since.as_ref(), out);
            }
        }

        impl $crate::Tool for $name {
            fn request(p: &Self::Params) -> $crate::error::Result<$crate::api::ApiRequest> {
                $crate::api::ApiRequest::endpoint(<Self as $crate::block::Block>::ENDPOINT, &[])?.query_fields(p)
            }
        }

        $crate::register_tool!($name);
    };
}

pub(crate) use updated_since_list;
