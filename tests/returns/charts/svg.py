"""Reading a chart's SVG back: the values pygal wrote into the markup for each point, by series."""

from decimal import Decimal

from lxml import etree

SVG = "{http://www.w3.org/2000/svg}"


def classes(element):
    return element.get("class", "").split()


def points(svg):
    """{series index: {x label: Decimal}} from each point's `<desc class="value">` in the plot's overlay."""
    tree = etree.fromstring(str(svg))
    found = {}
    for plot in tree.iter(f"{SVG}g"):
        if not {"plot", "overlay"} <= set(classes(plot)):
            continue
        for series in plot:
            index = next(int(c.removeprefix("serie-")) for c in classes(series) if c.startswith("serie-"))
            found.setdefault(index, {})
            for point in series:
                descs = {classes(d)[0]: d.text for d in point.iter(f"{SVG}desc")}
                if "value" in descs:
                    found[index][descs.get("x_label")] = number(descs["value"])
    return found


def number(text):
    return Decimal(text.replace("£", "").replace(",", ""))


def texts(svg):
    return [t.text for t in etree.fromstring(str(svg)).iter(f"{SVG}text") if t.text]
