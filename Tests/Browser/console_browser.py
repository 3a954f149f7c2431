"""Headless Chromium driven through chromedriver for the console tests.

Every wait is on a condition with a deadline (``wait_for``), never a fixed sleep. Every URL the
pages request is recorded from Chrome's performance log (DevTools ``Network`` events) and every
console message from its browser log, so that the tests can assert on both at the end.
"""

import json
import shutil
import time
import urllib.parse

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, NoSuchElementException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

# How long a page may take to load, a form to answer, a login to land.
PAGE_SECONDS = 10.0
# How often conditions are polled while waiting.
POLL_SECONDS = 0.05


class ConsoleBrowser:
    """One Chromium session on the console at ``base_url``, window 1920×1080."""

    def __init__(self, base_url, profile_dir, log_path):
        self.base_url = base_url.rstrip("/")
        options = Options()
        options.binary_location = shutil.which("chromium")
        for argument in (
            "--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1920,1080",
            f"--user-data-dir={profile_dir}", "--no-first-run", "--no-default-browser-check",
            "--no-proxy-server", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-default-apps", "--disable-extensions", "--lang=en-US",
            "--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication",
        ):
            options.add_argument(argument)
        # performance: DevTools Network events (every request's URL); browser: console messages.
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
        options.add_experimental_option("perfLoggingPrefs", {"enableNetwork": True, "enablePage": False})
        service = Service(executable_path=shutil.which("chromedriver"), log_output=log_path)
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_window_size(1920, 1080)
        # The window's size leaves a smaller viewport in headless mode: the page gets 1920×1080.
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": 1920, "height": 1080, "deviceScaleFactor": 1, "mobile": False})
        self.driver.set_script_timeout(PAGE_SECONDS)
        self.driver.set_page_load_timeout(PAGE_SECONDS)
        # Every URL requested so far: (url, the page that requested it).
        self.requests = []
        # Every console message so far: (level, message, the page shown).
        self.console = []
        # URLs the tests asked for knowing they may fail (a page not built yet, a refusal).
        self.deliberate = set()

    def quit(self):
        self.driver.quit()

    # ---- waiting ----

    def wait_for(self, what, condition, seconds=PAGE_SECONDS):
        """Polls ``condition()`` until it returns something true, which is returned; fails after
        ``seconds`` with "timed out … waiting for WHAT"."""
        deadline = time.monotonic() + seconds
        while True:
            value = condition()
            if value:
                return value
            if time.monotonic() >= deadline:
                raise AssertionError(f"timed out after {seconds:g} s waiting for {what} (page {self.path()})")
            time.sleep(POLL_SECONDS)

    def wait_for_page(self, seconds=PAGE_SECONDS):
        """Until the document has loaded and its fonts are ready."""
        self.wait_for("the page to load",
                      lambda: self.driver.execute_script("return document.readyState") == "complete", seconds)
        self.driver.execute_async_script("const done = arguments[0]; document.fonts.ready.then(() => done(true));")

    # ---- pages ----

    def path(self):
        url = urllib.parse.urlsplit(self.driver.current_url)
        return url.path + (f"?{url.query}" if url.query else "")

    def open(self, path):
        """Loads ``path`` of the console and waits for it."""
        self.driver.get(self.base_url + path)
        self.wait_for_page()
        self.collect_logs()

    def screenshot(self, file):
        self.driver.save_screenshot(file)

    def find(self, css):
        """The first element matching ``css``, or ``None``."""
        try:
            return self.driver.find_element(By.CSS_SELECTOR, css)
        except NoSuchElementException:
            return None

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        """The text of the first element matching ``css`` (stripped), or ``None``."""
        return self.driver.execute_script(
            "const e = document.querySelector(arguments[0]); return e ? e.textContent.trim() : null;", css)

    # ---- the console's own requests, from the page's context ----

    def fetch(self, method, path, body=None):
        """``fetch`` from the page as its script does (same-origin credentials, the session's
        CSRF token from the ``outpost_csrf`` cookie): ``{"status": int, "body": parsed or text}``."""
        self.deliberate.add(self.base_url + path)
        return self.driver.execute_async_script(
            """
            const [method, path, body, done] = arguments;
            const csrf = document.cookie.split("; ").find((c) => c.startsWith("outpost_csrf="));
            const headers = { "Accept": "application/json" };
            if (csrf) headers["X-CSRF-Token"] = decodeURIComponent(csrf.slice("outpost_csrf=".length));
            if (body !== null) headers["Content-Type"] = "application/json";
            fetch(path, { method, headers, credentials: "same-origin", redirect: "manual",
                          body: body === null ? undefined : JSON.stringify(body) })
              .then(async (response) => {
                const text = await response.text();
                let parsed = text;
                try { parsed = JSON.parse(text); } catch (e) { /* not JSON */ }
                done({ status: response.status, body: parsed });
              })
              .catch((error) => done({ status: -1, body: String(error) }));
            """, method, path, body)

    def status_of(self, path):
        """The HTTP status ``GET path`` answers (headers only: a stream is not read)."""
        self.deliberate.add(self.base_url + path)
        return self.driver.execute_async_script(
            """
            const [path, done] = arguments;
            const abort = new AbortController();
            fetch(path, { credentials: "same-origin", redirect: "manual", signal: abort.signal })
              .then((response) => { done(response.status); abort.abort(); })
              .catch((error) => done(-1));
            """, path)

    # ---- logging in and out ----

    def log_in(self, user, password=None, expect_success=True):
        """Logs in through the login form; waits to land on the overview (or, with
        ``expect_success=False``, for the form's error, whose text is returned)."""
        if self.find('button[data-action="logout"]'):
            self.log_out()
        self.open("/login")
        self.driver.find_element(By.ID, "username").send_keys(user["username"])
        self.driver.find_element(By.ID, "password").send_keys(password or user["password"])
        self.driver.find_element(By.CSS_SELECTOR, '#login-form button[type="submit"]').click()
        if not expect_success:
            return self.wait_for("the login error", lambda: self.driver.execute_script(
                "const e = document.getElementById('login-error');"
                "return e && !e.hidden && e.textContent.trim() ? e.textContent.trim() : null;"))
        self.wait_for("the login to land on the overview", lambda: self.path() == "/" and self.find("#main h1"))
        self.wait_for_page()
        self.collect_logs()
        return None

    def log_out(self):
        """Logs out with the header's button and waits for the login page."""
        self.driver.find_element(By.CSS_SELECTOR, 'button[data-action="logout"]').click()
        self.wait_for("the login page after logging out", lambda: self.path().startswith("/login"))
        self.wait_for_page()

    def answer_prompt(self, text):
        """Types ``text`` into the page's ``window.prompt`` (once it is shown) and accepts it."""
        def prompt():
            try:
                return self.driver.switch_to.alert
            except NoAlertPresentException:
                return None
        dialog = self.wait_for("the comment prompt", prompt)
        dialog.send_keys(text)
        dialog.accept()

    # ---- logs ----

    def collect_logs(self):
        """Moves Chrome's buffered performance and browser log entries into ``requests`` and
        ``console`` (Chrome hands each entry out once)."""
        page = self.path()
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            method, params = message.get("method"), message.get("params", {})
            if method == "Network.requestWillBeSent":
                self.requests.append((params["request"]["url"], page))
            elif method == "Network.webSocketCreated":
                self.requests.append((params["url"], page))
        for entry in self.driver.get_log("browser"):
            self.console.append((entry["level"], entry["message"], page))
