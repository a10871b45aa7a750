//! CPD: categories, entries, requirements and user summaries.
