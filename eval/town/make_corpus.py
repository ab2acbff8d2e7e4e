#!/usr/bin/env python3
"""Regenerate the generated files of the Kestrelford Town Council evaluation corpus.

Hand-written text files (.md, .txt, .html) live directly in corpus/ and are the
authoritative copies. This script (re)creates every other file:
  .docx (python-docx), .pdf (fpdf2, real text layer), .pptx (python-pptx),
  .xlsx (openpyxl) and .csv (csv module).
Prose for the .docx/.pdf files is in content_docs.py.

Usage:  python make_corpus.py            (needs python-docx python-pptx openpyxl fpdf2)
Everything in the corpus is invented; nothing refers to a real place or person.
"""

import csv
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import content_docs  # noqa: E402

OUT = os.path.join(HERE, "corpus")


# --------------------------------------------------------------------------
# mini-markup parser
# --------------------------------------------------------------------------
def parse(markup):
    """Yield blocks: ('h1'|'h2'|'h3'|'p'|'bullet'|'num', text) or ('table', rows)."""
    blocks = []
    table = None
    for raw in markup.strip("\n").split("\n"):
        line = raw.rstrip()
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if table is None:
                table = []
            table.append(cells)
            continue
        if table is not None:
            blocks.append(("table", table))
            table = None
        if not line.strip():
            continue
        if line.startswith("### "):
            blocks.append(("h3", line[4:]))
        elif line.startswith("## "):
            blocks.append(("h2", line[3:]))
        elif line.startswith("# "):
            blocks.append(("h1", line[2:]))
        elif line.startswith("- "):
            blocks.append(("bullet", line[2:]))
        elif re.match(r"^\d+\. ", line):
            blocks.append(("num", line))
        else:
            blocks.append(("p", line))
    if table is not None:
        blocks.append(("table", table))
    return blocks


# --------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------
def write_docx(markup, path, author="Kestrelford Town Council"):
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.author = author
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(11)
    for kind, val in parse(markup):
        if kind == "h1":
            doc.add_heading(val, level=0)
        elif kind == "h2":
            doc.add_heading(val, level=1)
        elif kind == "h3":
            doc.add_heading(val, level=2)
        elif kind == "bullet":
            doc.add_paragraph(val, style="List Bullet")
        elif kind == "num":
            # Word's own automatic numbering, as a person would type it
            doc.add_paragraph(re.sub(r"^\d+\.\s+", "", val), style="List Number")
        elif kind == "table":
            rows = val
            t = doc.add_table(rows=len(rows), cols=len(rows[0]))
            t.style = "Table Grid"
            for i, r in enumerate(rows):
                for j, c in enumerate(r):
                    cell = t.cell(i, j)
                    cell.text = c
                    if i == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            doc.add_paragraph("")
        else:
            doc.add_paragraph(val)
    doc.save(path)


# --------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------
def write_pdf(markup, path, title):
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author("Kestrelford Town Council")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(20, 18, 20)
    pdf.add_page()

    def footer():
        pass

    nl = dict(new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    for kind, val in parse(markup):
        if kind == "h1":
            pdf.set_font("Helvetica", "B", 17)
            pdf.multi_cell(0, 9, val, **nl)
            pdf.ln(2)
        elif kind == "h2":
            pdf.ln(2)
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, val, **nl)
            pdf.ln(1)
        elif kind == "h3":
            pdf.set_font("Helvetica", "B", 11)
            pdf.multi_cell(0, 6, val, **nl)
        elif kind == "bullet":
            pdf.set_font("Helvetica", "", 10.5)
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(0, 5.5, "- " + val, **nl)
        elif kind == "num":
            pdf.set_font("Helvetica", "", 10.5)
            pdf.set_x(pdf.l_margin + 4)
            pdf.multi_cell(0, 5.5, val, **nl)
        elif kind == "table":
            pdf.ln(1)
            pdf.set_font("Helvetica", "", 9.5)
            with pdf.table(first_row_as_headings=True, line_height=5.5) as table:
                for r in val:
                    row = table.row()
                    for c in r:
                        row.cell(c)
            pdf.ln(2)
        else:
            pdf.set_font("Helvetica", "", 10.5)
            pdf.multi_cell(0, 5.5, val, **nl)
            pdf.ln(1.5)
    pdf.output(path)


# --------------------------------------------------------------------------
# PPTX
# --------------------------------------------------------------------------
def write_pptx(slides, path):
    """slides: list of (title, subtitle_or_bullets). First slide is a title slide
    (subtitle string); other slides have a list of bullets; a bullet given as
    ('  text') with two leading spaces is a second-level bullet."""
    from pptx import Presentation

    prs = Presentation()
    first = True
    for title, body in slides:
        if first:
            s = prs.slides.add_slide(prs.slide_layouts[0])
            s.shapes.title.text = title
            s.placeholders[1].text = body
            first = False
            continue
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = title
        tf = s.placeholders[1].text_frame
        for i, b in enumerate(body):
            level = 1 if b.startswith("  ") else 0
            para = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            para.text = b.strip()
            para.level = level
    prs.save(path)


PARKING_DECK = [
    (
        "Town Centre Parking Consultation 2026",
        "Kestrelford Town Council - have your say from 2 March to 12 April 2026",
    ),
    (
        "Why are we consulting?",
        [
            "Market Row car park was 96% full on Saturdays in 2025",
            "The average stay has grown to 3 hours 10 minutes, so spaces turn over slowly",
            "Shoppers and traders tell us they cannot find a space",
            "The Market Row car park surface needs resurfacing at a cost of about £180,000",
            "Parking is free at present, so there is no income to pay for repairs",
        ],
    ),
    (
        "Our three car parks",
        [
            "Market Row car park: 142 spaces, including 8 disabled spaces",
            "Station Square short stay: 38 spaces",
            "Brook Street car park (Fennick Meadows): 60 spaces, including 4 disabled spaces",
            "Disabled parking in all car parks will stay free under every option",
        ],
    ),
    (
        "Option A - First hour free",
        [
            "First hour free for everyone",
            "Then £1.20 for each additional hour",
            "Maximum stay 4 hours",
            "Estimated income: £96,000 a year",
            "Applies to Market Row and Station Square only",
        ],
    ),
    (
        "Option B - Pay and display with 30 minutes free",
        [
            "First 30 minutes free",
            "Then £1.50 an hour",
            "Maximum stay 3 hours",
            "Estimated income: £131,000 a year",
            "Applies to all three car parks",
        ],
    ),
    (
        "Option C - Residents' permit zone",
        [
            "Car parks stay free, with a maximum stay of 3 hours",
            "Residents' permit zone on streets around the town centre: Tanner's Row, Foundry Street, Guild Court, Weavers Yard and Church Lane",
            "Permit: £55 a year for the first vehicle, £85 for a second vehicle",
            "Visitors to the zone may park for up to 2 hours without a permit",
            "No income for car park repairs; the resurfacing would come from reserves",
        ],
    ),
    (
        "How to respond",
        [
            "Online survey on the Council's website",
            "Paper forms from the Guildhall reception",
            "Drop-in session at the Corn Exchange: Saturday 14 March, 10am to 2pm",
            "Drop-in session at the Town Library: Saturday 21 March, 10am to 1pm",
            "Email parking@kestrelford-tc.example",
            "Closing date: Sunday 12 April 2026",
        ],
    ),
    (
        "What happens next",
        [
            "All responses will be read and summarised by the Deputy Town Clerk, Owen Pargeter",
            "Results reported to Full Council on 19 May 2026",
            "Council decides which option, if any, to take forward",
            "Any changes would come into force no earlier than 1 September 2026",
        ],
    ),
]

WASTE_DECK = [
    (
        "Changes to your bin collections from 6 April 2026",
        "Briefing for residents - Kestrelford Town Council Waste and Recycling Service",
    ),
    (
        "What is changing",
        [
            "NEW: weekly food waste collections in a brown caddy",
            "Black bins collected every three weeks instead of every two weeks",
            "Blue bins and red boxes: no change, still every two weeks",
            "Garden waste subscription: £52 for the first bin in 2026",
        ],
    ),
    (
        "Why we are making these changes",
        [
            "Food makes up about 31% of the weight of the average black bin",
            "Every tonne of rubbish sent to landfill costs £118 in tax and gate fees",
            "Every tonne of food sent to anaerobic digestion costs £29",
            "New national rules require weekly food waste collections",
            "Expected saving once the changes are in place: £74,000 a year",
        ],
    ),
    (
        "What you will receive",
        [
            "A 23-litre outdoor caddy with a lockable lid",
            "A 7-litre kitchen caddy",
            "A roll of 52 compostable liners",
            "A new collection calendar",
            "Delivered to every household between 2 and 27 March 2026",
        ],
    ),
    (
        "Key dates",
        [
            "2 February 2026: garden waste subscriptions open",
            "2 March 2026: garden waste collections start",
            "2 to 27 March 2026: caddies delivered",
            "6 April 2026: first weekly food waste collections",
            "6 April 2026: black bins move to every three weeks",
        ],
    ),
    (
        "Help and support",
        [
            "Households of six or more people can ask for a larger 360-litre black bin",
            "Free weekly collection of nappies and incontinence products in purple sacks",
            "Assisted collections for residents who cannot move their bins",
            "Free replacement liners can be collected from the Guildhall reception",
        ],
    ),
    (
        "Questions?",
        [
            "Imogen Hartley, Waste and Recycling Officer",
            "Telephone 01632 960140",
            "Email waste@kestrelford-tc.example",
        ],
    ),
]

VOLUNTEER_DECK = [
    (
        "Friends of Fennick Meadows - Volunteer Induction",
        "Welcome! Kestrelford Town Council and the Friends of Fennick Meadows",
    ),
    (
        "About Fennick Meadows",
        [
            "23.8 hectares of wildflower meadow, hedges and wet woodland along Fennick Brook",
            "Declared a Local Nature Reserve in 2011",
            "Home to skylarks, meadow pipits, grass snakes and southern marsh orchids",
            "The largest of Kestrelford's three parks",
        ],
    ),
    (
        "What volunteers do",
        [
            "Cutting and raking the meadows with scythes (August and September)",
            "Hedge laying (November to February)",
            "Litter picks along the brook",
            "Butterfly surveys on a set route (April to September)",
            "Repairing paths, steps and the boardwalk",
        ],
    ),
    (
        "Task days",
        [
            "First Saturday of every month, 10.00am to 1.00pm",
            "Midweek group: third Wednesday of every month, 9.30am to 12.30pm",
            "Meet at the Brook Street car park",
            "No need to book - just turn up",
        ],
    ),
    (
        "What to bring",
        [
            "Sturdy boots or wellingtons",
            "Waterproof coat and clothes you don't mind getting muddy",
            "A water bottle and a snack",
            "Gloves and all tools are provided",
        ],
    ),
    (
        "Safety rules",
        [
            "Volunteers must be 16 or over; under-16s are welcome with a parent or carer",
            "Listen to the safety talk at the start of every task day",
            "Never use power tools unless you hold a certificate for that tool",
            "Report every injury, however small, to the task leader",
            "Check yourself for ticks after every session",
            "Wash your hands before eating, especially after working near the brook",
        ],
    ),
    (
        "Who's who",
        [
            "Volunteer coordinator: Tamsin Crowe, Events and Community Officer",
            "Site manager: Tomasz Wilk, Park Keeper for Fennick Meadows",
            "Chair of the Friends of Fennick Meadows: Olive Treharne",
            "In an emergency, call 999 and give the location: Brook Street car park, Kestrelford",
        ],
    ),
]


# --------------------------------------------------------------------------
# XLSX
# --------------------------------------------------------------------------
def write_xlsx(sheets, path):
    """sheets: list of (sheet name, header row, data rows, optional note rows)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    for name, header, rows, notes in sheets:
        ws = wb.create_sheet(name)
        ws.append(header)
        for c in ws[1]:
            c.font = Font(bold=True)
        for r in rows:
            ws.append(list(r))
        if notes:
            ws.append([])
            for n in notes:
                ws.append([n])
        for col in ws.columns:
            width = max(len(str(c.value)) if c.value is not None else 0 for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
        for row in ws.iter_rows(min_row=2):
            for c in row:
                if isinstance(c.value, int):
                    c.number_format = "#,##0"
    wb.save(path)


BUDGET_2526 = [
    ("Administration & Governance", "ADM", 312400, 8500),
    ("Parks & Open Spaces", "PRK", 486750, 61200),
    ("Waste & Street Cleansing", "WST", 398200, 92400),
    ("Community & Events", "COM", 127300, 38600),
    ("Cemeteries", "CEM", 94600, 71300),
    ("Allotments", "ALL", 18900, 9450),
    ("Planning & Environment", "PLN", 41250, 0),
    ("Community Grants", "GRT", 60000, 0),
    ("Transfer to Capital Reserve", "CAP", 85000, 0),
]
BUDGET_2627 = [
    ("Administration & Governance", "ADM", 321800, 8900),
    ("Parks & Open Spaces", "PRK", 512300, 64800),
    ("Waste & Street Cleansing", "WST", 446900, 121500),
    ("Community & Events", "COM", 131650, 41200),
    ("Cemeteries", "CEM", 97400, 74100),
    ("Allotments", "ALL", 19600, 10150),
    ("Planning & Environment", "PLN", 43900, 0),
    ("Community Grants", "GRT", 65000, 0),
    ("Transfer to Capital Reserve", "CAP", 70000, 0),
]
PRECEPT = {"2025-26": (1312950, 30000, 9316, "140.93"), "2026-27": (1362900, 25000, 9412, "144.80")}

CAPITAL_2627 = [
    (
        "Millrace Park adventure play area refurbishment",
        "Millrace Park",
        145000,
        95000,
        0,
        50000,
        "September 2026",
    ),
    (
        "Hollins Green Pavilion changing rooms",
        "Hollins Green",
        210000,
        60000,
        150000,
        0,
        "March 2027",
    ),
    ("Guildhall roof repairs", "Guildhall", 88000, 88000, 0, 0, "October 2026"),
    (
        "Fennick Meadows boardwalk replacement",
        "Fennick Meadows",
        62500,
        22500,
        40000,
        0,
        "July 2026",
    ),
    ("Market Row CCTV upgrade", "Market Row", 34000, 34000, 0, 0, "June 2026"),
    (
        "Electric vehicle chargers, Brook Street car park",
        "Fennick Meadows",
        27800,
        7800,
        20000,
        0,
        "December 2026",
    ),
]


def budget_sheet(year, data):
    header = ["Department", "Cost centre", "Expenditure (£)", "Income (£)", "Net cost (£)"]
    rows = [(d, cc, e, i, e - i) for d, cc, e, i in data]
    te = sum(r[2] for r in rows)
    ti = sum(r[3] for r in rows)
    rows.append(("TOTAL", "", te, ti, te - ti))
    prec, res, base, bandd = PRECEPT[year]
    assert prec + res == te - ti, (year, prec + res, te - ti)
    rows.append(("Funded by: precept", "", "", "", prec))
    rows.append(("Funded by: contribution from general reserve", "", "", "", res))
    notes = [
        f"Tax base {year}: {base:,} Band D equivalent properties. Band D precept {year}: £{bandd}.",
        "Figures are in whole pounds. Net cost = expenditure minus income.",
    ]
    return (f"Budget {year}", header, rows, notes)


def capital_sheet():
    header = [
        "Project",
        "Site",
        "Total cost (£)",
        "Capital reserve (£)",
        "External grants (£)",
        "Developer contributions (£)",
        "Target completion",
    ]
    rows = list(CAPITAL_2627)
    for r in rows:
        assert r[2] == r[3] + r[4] + r[5], r
    rows.append(
        (
            "TOTAL",
            "",
            sum(r[2] for r in rows),
            sum(r[3] for r in rows),
            sum(r[4] for r in rows),
            sum(r[5] for r in rows),
            "",
        )
    )
    notes = [
        "The Hollins Green Pavilion grant of £150,000 depends on a successful application to the Wexmoor Sports Foundation."
    ]
    return ("Capital programme 2026-27", header, rows, notes)


FEES_HALLS = [
    ("Corn Exchange", "Main Hall", 220, 38, 62, 150),
    ("Corn Exchange", "Assembly Room", 80, 24, 40, 75),
    ("Corn Exchange", "Meeting Room 1", 16, 12, 20, 0),
    ("Corn Exchange", "Meeting Room 2", 10, 10, 17, 0),
    ("Corn Exchange", "Kitchen (only with a hall booking)", "", 9, 14, 0),
    ("Guildhall", "Council Chamber", 45, 20, 34, 50),
    ("Guildhall", "Committee Room", 18, 12, 21, 0),
    ("Hollins Green", "Pavilion", 60, 18, 30, 75),
    ("Fennick Meadows", "Visitor Hut (education room)", 25, 14, 22, 0),
]
FEES_SPORTS = [
    ("Football pitch, Hollins Green", "per match", 58, 29),
    ("Football pitch, Hollins Green", "per season (September to April)", 780, 390),
    ("Cricket square, Hollins Green", "per match", 72, 36),
    ("Multi-use games area (MUGA), Hollins Green", "per hour", 22, 11),
    ("MUGA floodlights, Hollins Green", "per hour", 8, 8),
    ("Tennis court, Millrace Park", "per court per hour", 7, 3),
    ("Bowls green, Millrace Park", "per member per season", 45, 20),
    ("Changing rooms, Hollins Green Pavilion", "per match", 15, 10),
]
FEES_ALLOT = [
    ("Full plot", "250 square metres", 92, 96),
    ("Half plot", "125 square metres", 50, 52),
    ("Starter (quarter) plot", "62 square metres", 29, 30),
    ("Accessible raised bed, Ferry Road", "10 square metres", 18, 18),
    ("Gate key deposit (refundable)", "per key", 15, 15),
]
FEES_BURIAL = [
    ("Exclusive right of burial (50 years) - full grave", 1150, 2300),
    ("Exclusive right of burial (50 years) - cremated remains plot", 420, 840),
    ("Exclusive right of burial - woodland burial grave", 980, 1960),
    ("Interment - adult", 690, 1380),
    ("Interment - child under 18", 0, 0),
    ("Interment of cremated remains", 210, 420),
    ("Memorial permit - headstone", 195, 390),
    ("Memorial permit - additional inscription", 85, 170),
    ("Transfer of grave deeds", 60, 60),
    ("Search of burial records (per name)", 25, 25),
    ("Saturday interment surcharge", 350, 350),
]
FEES_WASTE = [
    ("Garden waste subscription - first bin", "per year", 52),
    ("Garden waste subscription - each additional bin", "per year", 40),
    ("Bulky waste collection - up to 5 items", "per collection", 38),
    ("Bulky waste collection - each additional item (maximum 10 items)", "per item", 8),
    ("Replacement black bin", "each", 30),
    ("Replacement blue bin", "each", 0),
    ("Red box or food caddy", "each", 0),
    ("Larger 360-litre black bin (households of six or more)", "each", 0),
]
FEES_PERMITS = [
    ("Minor Works Permit", "per permit (valid 3 months)", 85),
    ("Skip permit", "per skip for 14 days", 40),
    ("Scaffold permit", "per scaffold for 28 days", 65),
    ("Temporary Event Permit - up to 499 people", "per event", 120),
    ("Temporary Event Permit - 500 to 4,999 people", "per event", 350),
    ("Temporary Event Permit - 5,000 people or more", "per event", 900),
    ("Pavement Cafe Licence - new", "12 months", 215),
    ("Pavement Cafe Licence - renewal", "12 months", 180),
    ("Street trading - annual consent (static pitch)", "12 months", 1450),
    ("Street trading - six-month consent (static pitch)", "6 months", 800),
    ("Street trading - daily consent", "per day", 45),
    ("Street trading - mobile trader annual consent", "12 months", 620),
    ("Park Fitness Licence", "per instructor per year", 180),
]

HOURS = [
    # facility, location, Mon..Sun, notes
    (
        "Guildhall reception",
        "14 Market Row",
        "09:00-17:00",
        "09:00-17:00",
        "09:00-17:00",
        "09:00-17:00",
        "09:00-16:30",
        "Closed",
        "Closed",
        "Customer Services phone line open the same hours",
    ),
    (
        "Corn Exchange box office",
        "Bridge Street",
        "Closed",
        "10:00-16:00",
        "10:00-16:00",
        "10:00-16:00",
        "10:00-16:00",
        "10:00-16:00",
        "Closed",
        "Also open until 19:30 on performance evenings",
    ),
    (
        "Kestrelford Town Library",
        "3 Church Lane",
        "09:30-17:30",
        "09:30-19:00",
        "Closed",
        "09:30-19:00",
        "09:30-17:30",
        "09:30-13:00",
        "Closed",
        "",
    ),
    (
        "Tourist Information Point",
        "Inside the Town Library",
        "Closed",
        "10:00-13:00",
        "Closed",
        "10:00-13:00",
        "10:00-13:00",
        "10:00-13:00",
        "Closed",
        "",
    ),
    (
        "Quarry Lane Household Waste Recycling Centre (summer, 1 March to 31 October)",
        "Quarry Lane",
        "08:00-18:00",
        "08:00-18:00",
        "Closed",
        "08:00-18:00",
        "08:00-18:00",
        "08:00-18:00",
        "08:00-18:00",
        "Last entry 15 minutes before closing",
    ),
    (
        "Quarry Lane Household Waste Recycling Centre (winter, 1 November to 28 February)",
        "Quarry Lane",
        "08:00-16:00",
        "08:00-16:00",
        "Closed",
        "Closed",
        "08:00-16:00",
        "08:00-16:00",
        "08:00-16:00",
        "Last entry 15 minutes before closing",
    ),
    (
        "Ashgrove Cemetery grounds (April to October)",
        "Ashgrove Road",
        "08:00-20:00",
        "08:00-20:00",
        "08:00-20:00",
        "08:00-20:00",
        "08:00-20:00",
        "08:00-20:00",
        "08:00-20:00",
        "",
    ),
    (
        "Ashgrove Cemetery grounds (November to March)",
        "Ashgrove Road",
        "08:00-16:30",
        "08:00-16:30",
        "08:00-16:30",
        "08:00-16:30",
        "08:00-16:30",
        "08:00-16:30",
        "08:00-16:30",
        "",
    ),
    (
        "Ashgrove Cemetery office",
        "Ashgrove Road",
        "09:00-13:00",
        "09:00-13:00",
        "09:00-13:00",
        "09:00-13:00",
        "09:00-13:00",
        "Closed",
        "Closed",
        "Appointments outside these hours by arrangement",
    ),
    (
        "Millrace Park Cafe (April to September)",
        "Millrace Park",
        "09:00-17:00",
        "09:00-17:00",
        "09:00-17:00",
        "09:00-17:00",
        "09:00-17:00",
        "09:00-18:00",
        "09:00-18:00",
        "Run by a tenant on behalf of the Council",
    ),
    (
        "Millrace Park Cafe (October to March)",
        "Millrace Park",
        "Closed",
        "Closed",
        "Closed",
        "Closed",
        "Closed",
        "10:00-15:30",
        "10:00-15:30",
        "",
    ),
    (
        "Fennick Meadows Visitor Hut (April to October)",
        "Brook Street entrance",
        "Closed",
        "Closed",
        "Closed",
        "Closed",
        "Closed",
        "10:00-15:00",
        "10:00-15:00",
        "Closed November to March",
    ),
    (
        "Hollins Green Pavilion",
        "Station Avenue",
        "Bookings only",
        "Bookings only",
        "Bookings only",
        "Bookings only",
        "Bookings only",
        "Bookings only",
        "Bookings only",
        "Open only for booked matches and events",
    ),
    (
        "Public toilets, Market Row",
        "Market Row",
        "07:00-19:00",
        "07:00-19:00",
        "07:00-19:00",
        "07:00-19:00",
        "07:00-19:00",
        "07:00-19:00",
        "07:00-19:00",
        "Radar key toilet available",
    ),
]
CHRISTMAS = [
    (
        "Guildhall reception",
        "09:00-12:00",
        "Closed",
        "Closed",
        "Closed",
        "Closed",
        "Monday 4 January 2027",
    ),
    (
        "Kestrelford Town Library",
        "09:30-13:00",
        "Closed",
        "Closed",
        "10:00-14:00",
        "Closed",
        "Saturday 2 January 2027",
    ),
    (
        "Quarry Lane Household Waste Recycling Centre",
        "08:00-14:00",
        "Closed",
        "Closed",
        "08:00-16:00 (closed Wednesday 30 December)",
        "Closed",
        "Saturday 2 January 2027",
    ),
    (
        "Ashgrove Cemetery grounds",
        "08:00-16:30",
        "08:00-16:30",
        "08:00-16:30",
        "08:00-16:30",
        "08:00-16:30",
        "Open throughout",
    ),
    (
        "Ashgrove Cemetery office",
        "09:00-12:00",
        "Closed",
        "Closed",
        "Closed",
        "Closed",
        "Monday 4 January 2027",
    ),
    (
        "Corn Exchange box office",
        "10:00-14:00",
        "Closed",
        "Closed",
        "10:00-16:00",
        "Closed",
        "Tuesday 5 January 2027",
    ),
]


# --------------------------------------------------------------------------
# CSV data
# --------------------------------------------------------------------------
BIN_ROUNDS = [
    # street, ward, zone, day, recycling week, garden waste, notes
    ("Kestrel Drive", "North", "A", "Monday", "A", "Yes", ""),
    ("Heron Close", "North", "A", "Monday", "A", "Yes", ""),
    ("Linnet Way", "North", "A", "Monday", "B", "Yes", ""),
    ("Plover Road", "North", "A", "Monday", "B", "Yes", ""),
    ("Wren Gardens", "North", "A", "Monday", "A", "Yes", ""),
    ("Station Avenue", "North", "A", "Monday", "B", "Yes", ""),
    ("Orchard Way", "North", "A", "Monday", "A", "Yes", ""),
    ("Quarry Lane", "North", "A", "Monday", "B", "Yes", "Industrial units are not collected"),
    (
        "Market Row",
        "Castle",
        "B",
        "Tuesday",
        "A",
        "Not available",
        "Collected before 7am because of the Charter Market",
    ),
    ("High Street", "Castle", "B", "Tuesday", "A", "Not available", "Collected before 7am"),
    ("Tanner's Row", "Castle", "B", "Tuesday", "B", "Yes", ""),
    ("Foundry Street", "Castle", "B", "Tuesday", "B", "Yes", ""),
    ("Guild Court", "Castle", "B", "Tuesday", "A", "Not available", "Flats with communal bins"),
    ("Weavers Yard", "Castle", "B", "Tuesday", "A", "Not available", "Flats with communal bins"),
    (
        "Castle Hill",
        "Castle",
        "B",
        "Tuesday",
        "B",
        "Yes",
        "Narrow street, collected by a small vehicle",
    ),
    (
        "Church Lane",
        "Castle",
        "B",
        "Tuesday",
        "B",
        "Yes",
        "Narrow street, collected by a small vehicle",
    ),
    ("St Aldhelm's Close", "Castle", "B", "Tuesday", "A", "Yes", ""),
    ("Bridge Street", "Castle", "B", "Tuesday", "B", "Not available", ""),
    ("Cutler's Close", "Southfields", "C", "Thursday", "A", "Yes", ""),
    ("Fennick Rise", "Southfields", "C", "Thursday", "A", "Yes", ""),
    ("Wheelwright Close", "Southfields", "C", "Thursday", "B", "Yes", ""),
    (
        "School Lane",
        "Southfields",
        "C",
        "Thursday",
        "B",
        "Yes",
        "Collected after 9.30am because of the school",
    ),
    ("Ashgrove Road", "Southfields", "C", "Thursday", "A", "Yes", ""),
    ("Meadow Rise", "Southfields", "C", "Thursday", "B", "Yes", ""),
    ("Sorrel Way", "Southfields", "C", "Thursday", "A", "Yes", ""),
    ("Hawthorn Avenue", "Southfields", "C", "Thursday", "B", "Yes", ""),
    ("Beech Grove", "Southfields", "C", "Thursday", "A", "Yes", ""),
    ("Mill Lane", "Riverside", "D", "Friday", "A", "Yes", ""),
    ("Brook Street", "Riverside", "D", "Friday", "B", "Yes", ""),
    ("Ferry Road", "Riverside", "D", "Friday", "A", "Yes", "Access may be affected by flooding"),
    ("Bramble Lane", "Riverside", "D", "Friday", "B", "Yes", ""),
    (
        "Lock Keeper's Lane",
        "Riverside",
        "D",
        "Friday",
        "A",
        "Yes",
        "Narrow lane, collected by a small vehicle",
    ),
    ("Willow Walk", "Riverside", "D", "Friday", "B", "Yes", ""),
    ("Osier Bank", "Riverside", "D", "Friday", "A", "Yes", ""),
    (
        "Millstream Court",
        "Riverside",
        "D",
        "Friday",
        "B",
        "Not available",
        "Flats with communal bins",
    ),
]

CONTACTS = [
    (
        "Helena Strand",
        "Town Clerk",
        "Administration",
        "helena.strand@kestrelford-tc.example",
        "01632 960101",
    ),
    (
        "Owen Pargeter",
        "Deputy Town Clerk",
        "Administration",
        "owen.pargeter@kestrelford-tc.example",
        "01632 960102",
    ),
    (
        "Greta Soames",
        "Communications Officer",
        "Administration",
        "greta.soames@kestrelford-tc.example",
        "01632 960105",
    ),
    (
        "Customer Services",
        "General enquiries",
        "Administration",
        "enquiries@kestrelford-tc.example",
        "01632 960100",
    ),
    (
        "Gwen Tallis",
        "Finance Officer (Responsible Financial Officer)",
        "Finance",
        "gwen.tallis@kestrelford-tc.example",
        "01632 960110",
    ),
    (
        "Leon Ashworth",
        "Facilities and Bookings Coordinator",
        "Facilities",
        "bookings@kestrelford-tc.example",
        "01632 960120",
    ),
    (
        "Declan Furrow",
        "Parks and Open Spaces Manager",
        "Parks",
        "declan.furrow@kestrelford-tc.example",
        "01632 960130",
    ),
    (
        "Sam Ridley",
        "Park Keeper, Millrace Park",
        "Parks",
        "sam.ridley@kestrelford-tc.example",
        "07700 900431",
    ),
    (
        "Aisha Brennan",
        "Park Keeper, Hollins Green",
        "Parks",
        "aisha.brennan@kestrelford-tc.example",
        "07700 900432",
    ),
    (
        "Tomasz Wilk",
        "Park Keeper, Fennick Meadows",
        "Parks",
        "tomasz.wilk@kestrelford-tc.example",
        "",
    ),
    (
        "Imogen Hartley",
        "Waste and Recycling Officer",
        "Waste Services",
        "waste@kestrelford-tc.example",
        "01632 960140",
    ),
    (
        "Rufus Achebe",
        "Planning Liaison Officer",
        "Planning",
        "planning@kestrelford-tc.example",
        "01632 960150",
    ),
    (
        "Neville Ashdown",
        "Licensing Officer",
        "Licensing",
        "licensing@kestrelford-tc.example",
        "01632 960160",
    ),
    (
        "Farah Quinlan",
        "Markets Officer",
        "Licensing",
        "farah.quinlan@kestrelford-tc.example",
        "01632 960162",
    ),
    (
        "Maureen Gilchrist",
        "Cemetery Registrar",
        "Cemeteries",
        "maureen.gilchrist@kestrelford-tc.example",
        "01632 960170",
    ),
    (
        "Colin Baptiste",
        "Allotments Officer",
        "Allotments",
        "colin.baptiste@kestrelford-tc.example",
        "01632 960175",
    ),
    (
        "Tamsin Crowe",
        "Events and Community Officer",
        "Community",
        "events@kestrelford-tc.example",
        "",
    ),
]

PLANNING_REGISTER = [
    (
        "KTC/PL/26/001",
        "WX/25/4412/HOU",
        "2025-12-15",
        "12 Tanner's Row",
        "Castle",
        "Single-storey rear extension",
        "2026-01-14",
        "Support",
        "Approved",
    ),
    (
        "KTC/PL/26/002",
        "WX/25/4430/HOU",
        "2025-12-18",
        "Orchard House, Church Lane",
        "Castle",
        "Replacement windows in a conservation area",
        "2026-01-14",
        "Support",
        "Approved",
    ),
    (
        "KTC/PL/26/003",
        "WX/25/4467/FUL",
        "2025-12-22",
        "Land at 40 Brook Street",
        "Riverside",
        "Erection of 4 dwellings",
        "2026-01-14",
        "Object",
        "Refused",
    ),
    (
        "KTC/PL/26/004",
        "WX/26/0012/ADV",
        "2026-01-05",
        "The Wheatsheaf, 2 Market Row",
        "Castle",
        "Illuminated fascia sign",
        "2026-01-14",
        "Object",
        "Approved",
    ),
    (
        "KTC/PL/26/005",
        "WX/26/0031/HOU",
        "2026-01-07",
        "7 Fennick Rise",
        "Southfields",
        "Two-storey side extension",
        "2026-01-14",
        "No comment",
        "Approved",
    ),
    (
        "KTC/PL/26/006",
        "WX/26/0058/TPO",
        "2026-01-19",
        "Hollybank, 19 Mill Lane",
        "Riverside",
        "Fell one beech tree protected by a tree preservation order",
        "2026-02-11",
        "Object",
        "Refused",
    ),
    (
        "KTC/PL/26/007",
        "WX/26/0074/FUL",
        "2026-01-22",
        "Unit 3, Quarry Lane Industrial Estate",
        "North",
        "Change of use from storage to gym",
        "2026-02-11",
        "Support",
        "Approved",
    ),
    (
        "KTC/PL/26/008",
        "WX/26/0090/HOU",
        "2026-01-26",
        "22 Station Avenue",
        "North",
        "Loft conversion with rear dormer",
        "2026-02-11",
        "Support",
        "Approved",
    ),
    (
        "KTC/PL/26/009",
        "WX/26/0103/LBC",
        "2026-01-28",
        "The Corn Exchange, Bridge Street",
        "Castle",
        "Listed building consent to replace the roof lantern",
        "2026-02-11",
        "Support",
        "Approved",
    ),
    (
        "KTC/PL/26/010",
        "WX/26/0121/FUL",
        "2026-02-02",
        "Former Kestrel Garage, Bridge Street",
        "Castle",
        "Demolition of garage and erection of 14 flats",
        "2026-02-11",
        "Object",
        "Pending",
    ),
    (
        "KTC/PL/26/011",
        "WX/26/0140/HOU",
        "2026-02-09",
        "3 Cutler's Close",
        "Southfields",
        "Rear conservatory",
        "2026-03-11",
        "Support",
        "Approved",
    ),
    (
        "KTC/PL/26/012",
        "WX/26/0152/FUL",
        "2026-02-12",
        "Land north of Ferry Road",
        "Riverside",
        "Erection of 38 dwellings with access from Ferry Road",
        "2026-03-11",
        "Object",
        "Pending",
    ),
    (
        "KTC/PL/26/013",
        "WX/26/0166/ADV",
        "2026-02-16",
        "Station Square kiosk",
        "North",
        "Two non-illuminated menu boards",
        "2026-03-11",
        "No comment",
        "Approved",
    ),
    (
        "KTC/PL/26/014",
        "WX/26/0171/HOU",
        "2026-02-17",
        "45 Castle Hill",
        "Castle",
        "Solar panels on front roof slope",
        "2026-03-11",
        "Support",
        "Approved",
    ),
    (
        "KTC/PL/26/015",
        "WX/26/0189/FUL",
        "2026-02-20",
        "Hollins Green Pavilion, Station Avenue",
        "North",
        "Extension to provide changing rooms",
        "2026-03-11",
        "Support",
        "Pending",
    ),
    (
        "KTC/PL/26/016",
        "WX/26/0195/HOU",
        "2026-02-23",
        "11 Wheelwright Close",
        "Southfields",
        "Front porch",
        "2026-03-11",
        "Support",
        "Withdrawn",
    ),
    (
        "KTC/PL/26/017",
        "WX/26/0204/COU",
        "2026-02-25",
        "14 High Street",
        "Castle",
        "Change of use from shop to hot food takeaway",
        "2026-03-11",
        "Object",
        "Pending",
    ),
    (
        "KTC/PL/26/018",
        "WX/26/0233/HOU",
        "2026-03-09",
        "8 Orchard Way",
        "North",
        "Detached garage",
        "2026-04-08",
        "Support",
        "Pending",
    ),
    (
        "KTC/PL/26/019",
        "WX/26/0241/FUL",
        "2026-03-12",
        "Kestrelford Primary School, School Lane",
        "Southfields",
        "Temporary modular classroom for three years",
        "2026-04-08",
        "Support",
        "Pending",
    ),
    (
        "KTC/PL/26/020",
        "WX/26/0250/TPO",
        "2026-03-16",
        "Ashgrove House, Ashgrove Road",
        "Southfields",
        "Crown reduction of two oak trees",
        "2026-04-08",
        "No comment",
        "Pending",
    ),
    (
        "KTC/PL/26/021",
        "WX/26/0262/HOU",
        "2026-03-18",
        "2 Ferry Road",
        "Riverside",
        "Raised decking in rear garden",
        "2026-04-08",
        "Object",
        "Pending",
    ),
    (
        "KTC/PL/26/022",
        "WX/26/0270/ADV",
        "2026-03-20",
        "Brook Street Garage, Brook Street",
        "Riverside",
        "Freestanding digital advertising display",
        "2026-04-08",
        "Object",
        "Pending",
    ),
]

PLAY_INSPECTIONS = [
    # ref, park, play area, equipment, date, inspector, risk, defect, action, target, status
    (
        "PI-26-01",
        "Millrace Park",
        "Toddler Play Area",
        "Toddler swings",
        "2026-02-17",
        "Playsafe Inspections Ltd",
        "Low",
        "Light wear to seat chains",
        "Monitor at weekly checks",
        "",
        "Open",
    ),
    (
        "PI-26-02",
        "Millrace Park",
        "Toddler Play Area",
        "Sandpit",
        "2026-02-17",
        "Playsafe Inspections Ltd",
        "Medium",
        "Sand level low and contaminated with leaves",
        "Replace sand",
        "2026-03-31",
        "Completed",
    ),
    (
        "PI-26-03",
        "Millrace Park",
        "Toddler Play Area",
        "Springer rockers (2)",
        "2026-02-17",
        "Playsafe Inspections Ltd",
        "Low",
        "None",
        "None",
        "",
        "Closed",
    ),
    (
        "PI-26-04",
        "Millrace Park",
        "Toddler Play Area",
        "Safety surfacing",
        "2026-02-17",
        "Playsafe Inspections Ltd",
        "Medium",
        "Gap in wet-pour surfacing near the entrance gate",
        "Patch repair",
        "2026-03-31",
        "Completed",
    ),
    (
        "PI-26-05",
        "Millrace Park",
        "Adventure Play Area",
        "Climbing frame",
        "2026-02-17",
        "Playsafe Inspections Ltd",
        "High",
        "Cracked weld on the handrail of the top platform",
        "Close the climbing frame immediately; replace handrail",
        "2026-02-20",
        "Completed",
    ),
    (
        "PI-26-06",
        "Millrace Park",
        "Adventure Play Area",
        "Zip wire",
        "2026-02-17",
        "Playsafe Inspections Ltd",
        "Medium",
        "Seat worn; end buffer compressed",
        "Replace seat and buffer",
        "2026-04-30",
        "Open",
    ),
    (
        "PI-26-07",
        "Millrace Park",
        "Adventure Play Area",
        "Basket swing",
        "2026-02-17",
        "Playsafe Inspections Ltd",
        "Low",
        "None",
        "None",
        "",
        "Closed",
    ),
    (
        "PI-26-08",
        "Millrace Park",
        "Adventure Play Area",
        "Roundabout",
        "2026-02-17",
        "Playsafe Inspections Ltd",
        "Medium",
        "Excessive movement in the central bearing",
        "Replace bearing",
        "2026-04-30",
        "Open",
    ),
    (
        "PI-26-09",
        "Hollins Green",
        "Junior Play Area",
        "Multi-play unit",
        "2026-02-18",
        "Playsafe Inspections Ltd",
        "Medium",
        "Two loose bolts on the slide platform",
        "Tighten and fit tamper-proof caps",
        "2026-03-06",
        "Completed",
    ),
    (
        "PI-26-10",
        "Hollins Green",
        "Junior Play Area",
        "Cradle swings",
        "2026-02-18",
        "Playsafe Inspections Ltd",
        "Low",
        "None",
        "None",
        "",
        "Closed",
    ),
    (
        "PI-26-11",
        "Hollins Green",
        "Junior Play Area",
        "See-saw",
        "2026-02-18",
        "Playsafe Inspections Ltd",
        "High",
        "Rotten timber seat",
        "Remove see-saw from use; replace seat",
        "2026-02-20",
        "Completed",
    ),
    (
        "PI-26-12",
        "Hollins Green",
        "Junior Play Area",
        "Entrance gate",
        "2026-02-18",
        "Playsafe Inspections Ltd",
        "Medium",
        "Self-closer shuts too quickly, risk of trapped fingers",
        "Adjust self-closer",
        "2026-03-06",
        "Completed",
    ),
    (
        "PI-26-13",
        "Fennick Meadows",
        "Natural Play Trail",
        "Log balance beams",
        "2026-02-18",
        "Playsafe Inspections Ltd",
        "Low",
        "None",
        "None",
        "",
        "Closed",
    ),
    (
        "PI-26-14",
        "Fennick Meadows",
        "Natural Play Trail",
        "Stepping stumps",
        "2026-02-18",
        "Playsafe Inspections Ltd",
        "Medium",
        "One stump loose in the ground",
        "Re-set stump in concrete",
        "2026-04-30",
        "Open",
    ),
    (
        "PI-26-15",
        "Fennick Meadows",
        "Natural Play Trail",
        "Willow tunnel",
        "2026-02-18",
        "Playsafe Inspections Ltd",
        "Low",
        "Overgrown at the far end",
        "Prune in autumn",
        "2026-10-31",
        "Open",
    ),
    (
        "PI-26-16",
        "Fennick Meadows",
        "Natural Play Trail",
        "Rope bridge",
        "2026-02-18",
        "Playsafe Inspections Ltd",
        "High",
        "Frayed hand rope",
        "Close rope bridge; replace ropes",
        "2026-02-27",
        "Open",
    ),
]


def write_csv(path, header, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)


# --------------------------------------------------------------------------
def main():
    os.makedirs(OUT, exist_ok=True)
    p = lambda n: os.path.join(OUT, n)  # noqa: E731

    # DOCX
    write_docx(content_docs.PERMITS_GUIDE, p("minor_works_and_permits_guide.docx"))
    write_docx(content_docs.FINANCE_MINUTES, p("finance_committee_minutes_2026-02-03.docx"))
    write_docx(content_docs.GRANTS_SCHEME, p("community_grants_scheme.docx"))

    # PDF
    write_pdf(
        content_docs.STANDING_ORDERS,
        p("standing_orders_committees.pdf"),
        "Standing Orders and Committee Terms of Reference",
    )
    write_pdf(content_docs.ANNUAL_REPORT, p("annual_report_2025.pdf"), "Annual Report 2025")
    write_pdf(content_docs.CEMETERY_REGS, p("cemetery_regulations.pdf"), "Cemetery Regulations")

    # PPTX
    write_pptx(PARKING_DECK, p("parking_consultation_2026.pptx"))
    write_pptx(WASTE_DECK, p("waste_service_changes_2026.pptx"))
    write_pptx(VOLUNTEER_DECK, p("volunteer_induction_fennick_meadows.pptx"))

    # XLSX
    write_xlsx(
        [
            budget_sheet("2025-26", BUDGET_2526),
            budget_sheet("2026-27", BUDGET_2627),
            capital_sheet(),
        ],
        p("budget_2025-26_and_2026-27.xlsx"),
    )
    write_xlsx(
        [
            (
                "Hall hire",
                [
                    "Venue",
                    "Room",
                    "Capacity (people)",
                    "Resident and community rate per hour (£)",
                    "Commercial rate per hour (£)",
                    "Refundable deposit (£)",
                ],
                FEES_HALLS,
                [
                    "Minimum booking 2 hours. Bookings on Friday and Saturday evenings after 6pm are charged at 1.5 times the hourly rate.",
                    "Rates apply from 1 April 2026.",
                ],
            ),
            (
                "Sports",
                ["Facility", "Unit", "Adult (£)", "Junior (£)"],
                FEES_SPORTS,
                ["Junior rates apply to teams where all players are under 18."],
            ),
            (
                "Allotments",
                ["Plot type", "Size", "Annual rent 2025-26 (£)", "Annual rent 2026-27 (£)"],
                FEES_ALLOT,
                [
                    "The allotment year runs from 1 October to 30 September. Water is included in the rent.",
                    "50% discount for plot holders receiving Pension Credit or Universal Credit.",
                ],
            ),
            (
                "Burial",
                ["Item", "Resident (£)", "Non-resident (£)"],
                FEES_BURIAL,
                ["Fees apply at Ashgrove Cemetery and, for existing graves, at Old Road Cemetery."],
            ),
            ("Waste", ["Service", "Unit", "Charge (£)"], FEES_WASTE, []),
            (
                "Permits and licences",
                ["Permit or licence", "Unit", "Fee (£)"],
                FEES_PERMITS,
                ["Registered charities pay half the Temporary Event Permit fee."],
            ),
        ],
        p("fees_and_charges_2026.xlsx"),
    )
    write_xlsx(
        [
            (
                "Opening hours",
                [
                    "Facility",
                    "Location",
                    "Monday",
                    "Tuesday",
                    "Wednesday",
                    "Thursday",
                    "Friday",
                    "Saturday",
                    "Sunday",
                    "Notes",
                ],
                HOURS,
                [
                    "All facilities are closed on bank holidays unless stated otherwise. See the Christmas 2026 sheet for the holiday period."
                ],
            ),
            (
                "Christmas 2026",
                [
                    "Facility",
                    "Thursday 24 December",
                    "Friday 25 December",
                    "Saturday 26 December",
                    "28 to 31 December",
                    "Friday 1 January 2027",
                    "Normal hours resume",
                ],
                CHRISTMAS,
                [],
            ),
        ],
        p("facility_opening_hours.xlsx"),
    )

    # CSV
    write_csv(
        p("bin_collection_rounds_2026.csv"),
        [
            "street",
            "ward",
            "zone",
            "collection_day",
            "recycling_week",
            "garden_waste_round",
            "notes",
        ],
        BIN_ROUNDS,
    )
    write_csv(
        p("council_contacts.csv"), ["name", "job_title", "department", "email", "phone"], CONTACTS
    )
    write_csv(
        p("planning_applications_register_2026.csv"),
        [
            "town_ref",
            "district_ref",
            "date_received",
            "site_address",
            "ward",
            "proposal",
            "committee_date",
            "town_council_view",
            "district_decision",
        ],
        PLANNING_REGISTER,
    )
    write_csv(
        p("playground_inspections_2026.csv"),
        [
            "ref",
            "park",
            "play_area",
            "equipment",
            "inspection_date",
            "inspector",
            "risk_rating",
            "defect",
            "action_required",
            "target_date",
            "status",
        ],
        PLAY_INSPECTIONS,
    )
    print("corpus written to", OUT)
    for n in sorted(os.listdir(OUT)):
        print("  ", n)


if __name__ == "__main__":
    main()
