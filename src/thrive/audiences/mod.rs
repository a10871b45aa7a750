//! Audiences and structures, their members and their managers.

mod add_members;

pub use add_members::{AddAudienceMembers, AddAudienceMembersParams};
