"""Writes the binary files of sample_docs/ (PDF, DOCX, XLSX, PPTX) from the text below.

Run once after editing: .venv/bin/python -m tests.make_sample_docs   (needs the dev extras)
The outputs are committed, so ingesting sample_docs needs none of the writer libraries.
"""

from pathlib import Path

SAMPLE_DOCS = Path(__file__).resolve().parent.parent / "sample_docs"

WARRANTY_PAGES = [
    (
        "Aurora K2 Warranty Claims Procedure",
        "This document explains how a customer or installer files a warranty claim for an Aurora "
        "K2 home battery. It applies to every unit sold in the European Union. A claim is "
        "accepted only when the unit was installed by a certified installer and registered in "
        "the Brightwater app within 30 days of installation.",
    ),
    (
        "Filing a claim",
        "A warranty claim must be filed within 60 days of the fault first appearing. The "
        "installer opens the claim in the partner portal and attaches the error log exported "
        "from the app and two photos of the unit. Brightwater Labs answers every claim within "
        "three working days. When a replacement unit is approved, it ships within five working "
        "days and the installer is paid a fixed fee of 250 euros for the swap.",
    ),
    (
        "Exclusions",
        "The warranty does not cover damage from floods, fire or lightning, units opened by the "
        "owner, or batteries used in vehicles or boats. Capacity loss is covered only when the "
        "usable capacity falls below 70% before the end of the warranty period.",
    ),
]


def write_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    for title, body in WARRANTY_PAGES:
        pdf.add_page()
        pdf.set_font("Helvetica", "B", 16)
        pdf.multi_cell(0, 10, title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def write_docx(path: Path) -> None:
    from docx import Document

    doc = Document()
    doc.add_heading("Onboarding Guide for New Employees", level=1)
    doc.add_paragraph(
        "Welcome to Brightwater Labs. Every new employee is paired with an onboarding buddy "
        "from another team for their first 90 days. The buddy meets the new employee every "
        "week during the first month."
    )
    doc.add_heading("First week", level=2)
    doc.add_paragraph(
        "On the first day, IT hands out the laptop at 09:00 and the security badge is collected "
        "at the reception desk. The safety training for the battery lab takes two hours and "
        "must be completed before entering the lab."
    )
    table = doc.add_table(rows=4, cols=2)
    rows = [
        ("Day", "Activity"),
        ("Monday", "Welcome breakfast and laptop set-up"),
        ("Wednesday", "Battery lab safety training"),
        ("Friday", "Lunch with the founders"),
    ]
    for row, (day, activity) in zip(table.rows, rows, strict=True):
        row.cells[0].text, row.cells[1].text = day, activity
    doc.save(str(path))


def write_xlsx(path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sales 2025"
    sheet.append(["Quarter", "K2 units sold", "G3 gateways sold", "Revenue (thousand euros)"])
    for row in [
        ("Q1", 410, 380, 3540),
        ("Q2", 520, 470, 4480),
        ("Q3", 610, 560, 5260),
        ("Q4", 705, 640, 6080),
    ]:
        sheet.append(list(row))
    book.save(str(path))


def write_pptx(path: Path) -> None:
    from pptx import Presentation

    deck = Presentation()
    slides = [
        ("Product roadmap 2026", "Brightwater Labs, strategy meeting, January 2026"),
        (
            "Aurora K3",
            "The Aurora K3 launches in September 2026 with 16 kWh of usable capacity "
            "and a 6 kW continuous output.",
        ),
        (
            "Solar Gateway G4",
            "The G4 gateway adds support for electric vehicle chargers and "
            "ships in the first quarter of 2027.",
        ),
    ]
    for title, body in slides:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    deck.save(str(path))


if __name__ == "__main__":
    write_pdf(SAMPLE_DOCS / "warranty-claims.pdf")
    write_docx(SAMPLE_DOCS / "onboarding-guide.docx")
    write_xlsx(SAMPLE_DOCS / "sales-2025.xlsx")
    write_pptx(SAMPLE_DOCS / "roadmap-2026.pptx")
