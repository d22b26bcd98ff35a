"""The HTML report, opened in headless Chromium: the landing page is the study, every figure of the run is present
and renders, and every table of results/ is in the report as an HTML table.

Runs the workflow on the seed article and the two test articles (tests/fixtures/articles/) with an articles
sheet, builds `--report`, then clicks through the report as a reader would. Needs Debian's chromium and
chromium-driver (installed by .ci/run); without them the test is skipped locally and fails in CI.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")
if not (CHROMIUM and DRIVER) and not os.environ.get("CI"):
    pytest.skip(
        "chromium and chromium-driver are not installed (apt-get install chromium chromium-driver)",
        allow_module_level=True,
    )

FIXTURES = ROOT / "tests/fixtures"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    work = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "config", work / "config")
    shutil.copy(FIXTURES / "articles.tsv", work / "config/articles.tsv")
    raw = work / "data/raw"
    raw.mkdir(parents=True)
    shutil.copy(ROOT / "data/raw/blinken-ukraine-2023.txt", raw)
    shutil.copytree(ROOT / "data/gold", work / "data/gold")
    for article in (FIXTURES / "articles").glob("*-*.*"):
        shutil.copy(article, raw)
    base = [sys.executable, "-m", "snakemake", "-s", str(ROOT / "Snakefile"), "--directory", str(work), "--cores", "2"]
    for extra in ([], ["--report", "results/report.html"]):
        result = subprocess.run(base + extra, capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return work


def test_comparison_uses_the_articles_sheet(corpus):
    shares = pd.read_csv(corpus / "results/comparison/stance_shares.csv")
    assert set(shares["article"]) == {"blinken-ukraine-2023", "envoy-ceasefire", "alliance-summit"}
    assert set(shares["group"]) == {"profile", "news"} and "Test Wire" in set(shares["outlet"])
    tests = pd.read_csv(corpus / "results/comparison/distribution_tests.csv")
    assert len(tests) == 3 and tests["p_permutation"].between(0, 1).all() and tests["cramers_v"].between(0, 1).all()
    assert (tests["p_holm"] >= tests["p_permutation"]).all()
    tex = (corpus / "results/comparison/stance_shares.tex").read_text()
    assert "\\toprule" in tex and "\\midrule" in tex and "pro\\_negotiation" in tex
    fragile = pd.read_csv(corpus / "results/comparison/sensitivity.csv")
    assert (fragile["n_changed"] <= fragile["n_statements"]).all()


def chromium(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    for arg in [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--window-size=1400,1000",
    ]:
        options.add_argument(arg)
    options.binary_location = CHROMIUM
    return webdriver.Chrome(service=Service(DRIVER), options=options)


def wait_for(driver, condition, what: str, timeout: float = 30):
    """Wait until ``condition(driver)`` is truthy and return it: the report is a script that renders after load,
    so a fixed sleep is either too short on a busy machine or wasted on a quiet one."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition, f"timed out waiting for {what}")


def clickable(by: str, locator: str):
    from selenium.webdriver.support import expected_conditions

    return expected_conditions.element_to_be_clickable((by, locator))


def keep_screenshots(*shots: Path) -> None:
    """Copy screenshots to $STANCEMAP_SCREENSHOTS (docs/screenshots/ is filled this way)."""
    keep = os.environ.get("STANCEMAP_SCREENSHOTS")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        for shot in shots:
            shutil.copy(shot, keep)


def test_report_renders_every_figure_in_chromium(corpus, tmp_path):
    from selenium.webdriver.common.by import By

    driver = chromium(tmp_path)
    expected = {  # category -> figure labels that must be there, one per article where per article
        "Articles": ["stance shares", "stance along the article", "sensitivity to wording", "stance by speaker"],
        "Comparison": ["stance shares across articles", "sensitivity to wording", "stance by speaker"],
        "Evaluation": ["confusion matrix", "reliability"],
    }
    articles = ["alliance-summit", "blinken-ukraine-2023", "envoy-ceasefire"]
    rendered = []

    def open_page(*path: str) -> None:
        driver.get((corpus / "results/report.html").as_uri())
        for text in path:
            wait_for(driver, clickable(By.XPATH, f"//*[text()='{text}']"), f"'{text}' in the menu").click()

    def rendered_images(d):
        return [
            img
            for img in d.find_elements(By.CSS_SELECTOR, "img[src^='data:image/png']")
            if img.get_property("naturalWidth") > 300 and img.size["width"] > 200
        ]

    def check(figure: str, where: str) -> None:
        wait_for(driver, lambda d: d.find_elements(By.XPATH, "//tr[.//a[@iconname='eye']] | //label[input]"), where)
        rows = driver.find_elements(By.XPATH, f"//tr[.//td[text()='{figure}']]")
        toggles = driver.find_elements(By.XPATH, f"//label[input[@value='{figure}']]")
        if not rows and toggles:  # labels shared by every entry become a toggle above the table
            toggles[0].click()
            rows = wait_for(driver, lambda d: d.find_elements(By.XPATH, "//tr[.//a[@iconname='eye']]"), figure)
        assert rows, f"{where}: no '{figure}' in the report"
        rows[0].find_element(By.CSS_SELECTOR, "a[iconname='eye']").click()
        wait_for(driver, rendered_images, f"{where}: '{figure}' to render")
        shot = tmp_path / f"{where.replace('/', '-')}-{figure.replace(' ', '_')}.png"
        driver.save_screenshot(str(shot))
        rendered.append(shot)

    try:
        open_page("Articles")
        listed = [a for a in articles if driver.find_elements(By.XPATH, f"//*[text()='{a}']")]
        assert listed == articles, f"articles in the report: {listed}"
        for article in articles:
            for figure in expected["Articles"]:
                open_page("Articles", article)
                check(figure, f"Articles/{article}")
        for figure in expected["Comparison"]:
            open_page("Comparison")
            check(figure, "Comparison")
        for figure in expected["Evaluation"]:  # only the seed has gold labels
            open_page("Evaluation")  # one article: the report lists its figures directly
            check(figure, "Evaluation/blinken-ukraine-2023")
    finally:
        driver.quit()
    assert len(rendered) == 3 * 4 + 3 + 2
    assert all(p.stat().st_size > 20_000 for p in rendered)
    keep_screenshots(*rendered)


#: Tables of results/ whose HTML page has another name (every other ``X.csv`` is shown as ``X.html`` beside it).
HTML_OF = {"stances.csv": "tables/statements.html", "sensitivity_labels.csv": "tables/sensitivity_labels.html"}


def test_landing_page_is_the_study_and_every_table_is_an_html_table(corpus, tmp_path):
    from selenium.webdriver.common.by import By

    tables = sorted(p.relative_to(corpus) for p in (corpus / "results").rglob("*.csv"))
    tables += sorted(p.relative_to(corpus) for p in (corpus / "results").rglob("metrics.json"))
    expected = {str(t.parent / HTML_OF[t.name]) if t.name in HTML_OF else str(t.with_suffix(".html")) for t in tables}
    # 3 articles x 6 tables (stances, label summary, top statements, speakers, sensitivity, its labels), the
    # seed's evaluation tables (per label, matched spans, metrics), 4 comparison tables, provenance, failures
    assert len(tables) == 3 * 6 + 3 + 4 + 2
    driver = chromium(tmp_path)
    try:
        driver.get((corpus / "results/report.html").as_uri())
        wait_for(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".stancemap-table table"), "the landing page")
        in_report = set(driver.execute_script("return Object.keys(results)"))
        mime = driver.execute_script(
            "return Object.fromEntries(Object.entries(results).map(([k, v]) => [k, v.mime_type]))"
        )
        assert expected <= in_report, f"tables missing from the report: {sorted(expected - in_report)}"
        assert not [p for p in in_report if p.endswith(".csv")], "a CSV in the report is only a download link"
        assert {mime[p] for p in expected} == {"text/html"}
        # The landing page: the comparison figure at a readable size, then its table (3 articles x 4 labels).
        figures = driver.find_elements(By.CSS_SELECTOR, ".stancemap-figure svg")
        assert figures and figures[0].size["width"] >= 600, [f.size for f in figures]
        shares = driver.find_elements(By.CSS_SELECTOR, ".stancemap-table table")[0]
        assert len(shares.find_elements(By.CSS_SELECTOR, "tbody tr")) == 3 * 4
        assert figures[0].location["y"] < shares.location["y"]
        articles = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "h3")]
        assert articles == ["alliance-summit", "blinken-ukraine-2023", "envoy-ceasefire"]
        landing = tmp_path / "report-landing-page.png"
        driver.save_screenshot(str(landing))
        # A table opens as a table: the seed's label summary, 4 labels x 6 columns.
        for text in ["Articles", "blinken-ukraine-2023"]:
            wait_for(driver, clickable(By.XPATH, f"//*[text()='{text}']"), f"'{text}' in the menu").click()
        summary = "//tr[.//td[text()='label summary']]//a[@iconname='eye']"
        wait_for(driver, clickable(By.XPATH, summary), "the label summary's row").click()
        frame = wait_for(driver, lambda d: d.find_elements(By.TAG_NAME, "iframe"), "the table's frame")[0]
        driver.switch_to.frame(frame)
        wait_for(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "tbody td")) == 4 * 6, "24 table cells")
        driver.switch_to.default_content()
        table = tmp_path / "report-table-label_summary.png"
        driver.save_screenshot(str(table))
        driver.switch_to.frame(frame)
        assert [c.text for c in driver.find_elements(By.CSS_SELECTOR, "tbody tr td:first-child")] == [
            "pro_negotiation",
            "anti_negotiation",
            "alliance_focused",
            "none",
        ]
    finally:
        driver.quit()
    keep_screenshots(landing, table)
