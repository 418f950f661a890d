"""Reference data for the review, shared by the data migration, the demo and the tests."""

# The evidence-quality problems reviewers meet again and again in the returns (see the 2015-16 annex).
FLAG_TYPES = [
    ("no-impact-assessment", "No impact assessment given"),
    ("outcomes-not-quantified", "Outcomes not quantified"),
    ("outputs-only", "Outputs only, no outcomes"),
    ("double-counting", "Possible double counting with other funding"),
    ("alignment-not-stated", "Alignment to the Plan not stated"),
    ("no-information", "No information supplied"),
    ("data-late", "Data provided late"),
]


def ensure_flag_types(flag_type_model):
    """Create any missing kind; never overwrite a name the OPCC has edited."""
    for order, (key, name) in enumerate(FLAG_TYPES, start=1):
        flag_type_model.objects.get_or_create(key=key, defaults={"name": name, "order": order})
