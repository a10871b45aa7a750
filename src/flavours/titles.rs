//! Titles and labels for forms: field names and enum values in words.

/// A human title for an input name: `firstName` is "First name".
pub fn field_title(name: &str) -> String {
    let fixed = match name {
        "tenantId" => "Tenant ID",
        "apiKey" => "API key",
        "host" => "Region",
        "clientId" => "OAuth client ID",
        "scope" => "OAuth scope",
        "audienceId" => "Audience",
        "parentId" => "Parent structure",
        "assignmentId" => "Assignment",
        "contentId" => "Content",
        "userId" => "User",
        "ref" => "User reference",
        "userRef" => "User",
        "managerRef" => "Line manager",
        "tagId" => "Tag",
        "categoryId" => "CPD category",
        "audienceRequirementId" => "CPD requirement",
        "logEntryId" => "CPD log entry",
        "enrolmentId" => "Enrolment ID",
        "id" => "ID",
        "isRPL" => "Recognition of prior learning (RPL)",
        "perPage" => "Results per page",
        "returnAll" => "Fetch all pages",
        "maxResults" => "Maximum results",
        "sso" => "Single sign-on (SSO)",
        "additionalFields" => "Custom fields",
        "alternativeContentIds" => "Alternative content",
        "contentIds" => "Content IDs",
        "userIds" => "User IDs",
        "omitStatuses" => "Exclude statuses",
        "omitTypes" => "Exclude content types",
        "omitActions" => "Exclude actions",
        "types" => "Content types",
        "apiControlled" => "Controlled by the API",
        "updatedAtFrom" => "Updated from",
        "updatedAtTo" => "Updated until",
        "completedDateRangeStart" => "Completed from",
        "completedDateRangeEnd" => "Completed until",
        "timestampFrom" => "From",
        "timestampTo" => "To",
        "email" => "Email",
        _ => return humanise(name),
    };
    fixed.to_owned()
}

/// `loginMethod` becomes "Login method"; `learneradmin`-style values are
/// left to [`value_label`].
pub(super) fn humanise(name: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in name.chars() {
        if (c.is_uppercase() || c == '_' || c == '-' || c == ' ') && !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
        if c != '_' && c != '-' && c != ' ' {
            current.push(c);
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut out = words
        .iter()
        .map(|w| {
            if w == "Id" || w == "id" {
                "ID".to_owned()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ");
    if let Some(first) = out.get(..1) {
        out = first.to_uppercase() + &out[1..];
    }
    out
}

/// A human label for a documented value: `learneradmin` is "Learner admin".
pub fn value_label(value: &str) -> String {
    let fixed = match value {
        "learneradmin" => "Learner admin",
        "email" => "Email address",
        "ref" => "Reference",
        "elearning" => "E-learning",
        "scorm" => "SCORM",
        "cmi5" => "cmi5",
        "pdf" => "PDF",
        "api/read" => "Read only (api/read)",
        "api/write" => "Write only (api/write)",
        "api/all" => "Read and write (api/all)",
        "api/webhooks" => "Provisioning webhooks (api/webhooks)",
        "public.api.learn.link" => "Production, all regions except MEA (public.api.learn.link)",
        "public.api.mea.learn.tech" => "Production, MEA (public.api.mea.learn.tech)",
        "public.api.learnstaging.link" => {
            "Staging, all regions except MEA (public.api.learnstaging.link)"
        }
        "public.api.meastaging.learn.tech" => "Staging, MEA (public.api.meastaging.learn.tech)",
        _ => {
            // An event type: `user.created` is "User created",
            // `assignment.*` is "Any assignment event".
            if let Some((family, event)) = value.split_once('.') {
                return if event == "*" {
                    format!("Any {family} event")
                } else {
                    humanise(&format!("{family} {}", event.replace(['.', '_'], " ")))
                };
            }
            return humanise(value);
        }
    };
    fixed.to_owned()
}

/// Descriptions are written for developers; forms show them as help text.
pub(super) fn plain(description: &str) -> String {
    description.replace('`', "")
}
