"""Reference data: the West Midlands Community Safety Partnerships."""

WEST_MIDLANDS = [
    # name, slug, partnership name, ONS local-authority code
    ("Birmingham", "birmingham", "Birmingham Community Safety Partnership", "E08000025"),
    ("Coventry", "coventry", "Coventry Community Safety Partnership", "E08000026"),
    ("Dudley", "dudley", "Safe and Sound, Dudley", "E08000027"),
    ("Sandwell", "sandwell", "Safer Sandwell Partnership", "E08000028"),
    ("Solihull", "solihull", "Safer Solihull Partnership", "E08000029"),
    ("Walsall", "walsall", "Walsall Community Safety Partnership", "E08000030"),
    ("Wolverhampton", "wolverhampton", "Safer Wolverhampton Partnership", "E08000031"),
]


def ensure_west_midlands(borough_model):
    """Create any missing partnership; never overwrite names edited in the admin."""
    for name, slug, partnership, code in WEST_MIDLANDS:
        borough_model.objects.get_or_create(
            ons_code=code, defaults={"name": name, "slug": slug, "partnership_name": partnership}
        )
