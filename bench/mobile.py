"""The phone app on a slow network (issue 16): first load and time to the
customer list under a throttled 3G profile, and the gzipped size of the
app's own code.

Runs headless Chromium (Debian's chromium and chromedriver, as the browser
tests) as a phone against a running server with the demo data — by
default `./dealer run`'s (http://127.0.0.1:8000, database dealer) — with
Chrome's network throttling (CDP Network.emulateNetworkConditions):

  3g       Chrome DevTools' "3G" ("Fast 3G"): 562.5 ms round trip,
           1.6 Mbit/s down and 750 kbit/s up, times 0.9
  slow-3g  Chrome DevTools' "Slow 3G": 2 s round trip, 500/500 kbit/s × 0.9
  none     no throttling (the floor: the same steps without the network)

Each figure is the median of --runs runs with a cold cache:

  first_load_ms            open /m/ until the login form can be typed in
  login_to_home_ms         tap 登录 until the home page shows its figures
  tap_to_customers_ms      tap 客户 until the first customer card shows
  cold_customers_ms        signed in, cache cleared: open /m/#/customers
                           until the first customer card shows
  first_load_kib           bytes over the wire for the first load

and the sizes of var/mobile (what ./dealer install built): all the app's
code gzipped, and the part the first load fetches.  Prints a table and
writes JSON to bench/results/mobile-<timestamp>.json and latest.json.

  .venv/bin/python bench/mobile.py [--url URL] [--database DB]
      [--login sales_zhang] [--profile 3g] [--runs 5]
"""
import argparse
import datetime as dt
import gzip
import os
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BUILD = os.path.join(ROOT, 'var', 'mobile')
sys.path.insert(0, HERE)
from harness import machine, write_results  # noqa: E402

PROFILES = {
    '3g': {'latency': 562.5, 'downloadThroughput': 1.6e6 * .9 / 8,
        'uploadThroughput': 750e3 * .9 / 8},
    'slow-3g': {'latency': 2000, 'downloadThroughput': 500e3 * .9 / 8,
        'uploadThroughput': 500e3 * .9 / 8},
    'none': {'latency': 0, 'downloadThroughput': -1,
        'uploadThroughput': -1},
    }
BUDGET_MS = 2000
BUDGET_KIB = 300
PASSWORD = os.environ.get('DEALER_DEMO_PASSWORD', 'dealer-demo-2026')


def sizes():
    "Bytes of the built app: every file, and what the first load fetches"
    total = {'raw': 0, 'gzip': 0}
    first = {'raw': 0, 'gzip': 0}
    with open(os.path.join(BUILD, 'index.html'), encoding='utf-8') as f:
        index = f.read()
    for folder, _, files in os.walk(BUILD):
        for name in files:
            if not name.endswith(('.js', '.css', '.html')):
                continue
            path = os.path.join(folder, name)
            raw = os.path.getsize(path)
            zipped = (os.path.getsize(path + '.gz')
                if os.path.exists(path + '.gz')
                else len(gzip.compress(open(path, 'rb').read(), 9)))
            for bucket in [total] + ([first] if name == 'index.html'
                    or name in index else []):
                bucket['raw'] += raw
                bucket['gzip'] += zipped
    return {
        'app_code_kib': round(total['raw'] / 1024, 1),
        'app_code_gzip_kib': round(total['gzip'] / 1024, 1),
        'first_load_code_kib': round(first['raw'] / 1024, 1),
        'first_load_code_gzip_kib': round(first['gzip'] / 1024, 1),
        }


def browser(profile_dir):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = '/usr/bin/chromium'
    # driver.get returns at DOMContentLoaded: the figures are the app's own
    # (polled), not the load event's
    options.page_load_strategy = 'eager'
    for argument in ['--headless=new', '--no-sandbox', '--disable-gpu',
            '--disable-quic', '--no-first-run', '--disable-dev-shm-usage',
            '--disable-background-networking', '--disable-component-update',
            f'--user-data-dir={profile_dir}', '--window-size=390,844']:
        options.add_argument(argument)
    options.add_experimental_option('mobileEmulation', {
            'deviceMetrics': {'width': 390, 'height': 844, 'pixelRatio': 3,
                'touch': True},
            'userAgent': 'Mozilla/5.0 (Linux; Android 14; Pixel 8) '
            'AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 '
            'Mobile Safari/537.36'})
    return webdriver.Chrome(
        service=Service(executable_path='/usr/bin/chromedriver'),
        options=options)


def until(driver, script, timeout=60):
    "Poll a JavaScript condition; return the seconds it took"
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if driver.execute_script(script):
            return time.monotonic() - started
        time.sleep(0.01)
    raise SystemExit(f'[bench] not within {timeout}s: {script}')


def throttle(driver, profile):
    driver.execute_cdp_cmd('Network.emulateNetworkConditions',
        dict(PROFILES[profile], offline=False))


def cold(driver, base):
    "No HTTP cache, no service worker nor its cache (the app's offline copy)"
    driver.execute_cdp_cmd('Network.clearBrowserCache', {})
    driver.execute_cdp_cmd('Storage.clearDataForOrigin', {'origin': base,
            'storageTypes': 'service_workers,cache_storage'})


def one_run(driver, base, database, login, profile):
    url = f'{base}/m/?db={database}'
    result = {}
    # a new person: no session, no cache
    throttle(driver, 'none')
    driver.get(f'{base}/m/robots-missing')
    driver.delete_all_cookies()
    driver.execute_script('localStorage.clear()')
    driver.get('about:blank')
    cold(driver, base)
    throttle(driver, profile)
    started = time.monotonic()
    driver.get(url + '#/login')
    until(driver, "return !!document.querySelector('input[name=password]')")
    result['first_load_ms'] = (time.monotonic() - started) * 1000
    result['first_load_kib'] = driver.execute_script('''
        const nav = performance.getEntriesByType('navigation')[0];
        return (nav.transferSize + performance.getEntriesByType('resource')
            .reduce((s, e) => s + e.transferSize, 0)) / 1024''')
    driver.find_element('css selector', 'input[name=login]').send_keys(login)
    driver.find_element('css selector', 'input[name=password]').send_keys(
        PASSWORD)
    started = time.monotonic()
    driver.find_element('css selector', 'button[type=submit]').click()
    until(driver, "return document.querySelector('.van-tabbar') && "
        "document.body.innerText.includes('今日计划拜访与待办（')")
    result['login_to_home_ms'] = (time.monotonic() - started) * 1000
    started = time.monotonic()
    driver.execute_script("location.hash = '/customers'")
    until(driver, "return !!document.querySelector("
        "'[data-test=customer-card]')")
    result['tap_to_customers_ms'] = (time.monotonic() - started) * 1000
    # signed in, the cache cleared: straight to the customer list
    driver.get('about:blank')
    cold(driver, base)
    started = time.monotonic()
    driver.get(url + '#/customers')
    until(driver, "return !!document.querySelector("
        "'[data-test=customer-card]')")
    result['cold_customers_ms'] = (time.monotonic() - started) * 1000
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--url', default='http://127.0.0.1:8000')
    parser.add_argument('--database', default='dealer')
    parser.add_argument('--login', default='sales_zhang')
    parser.add_argument('--profile', default='3g', choices=PROFILES)
    parser.add_argument('--runs', type=int, default=5)
    args = parser.parse_args()
    if not os.path.exists(os.path.join(BUILD, 'index.html')):
        raise SystemExit('[bench] the app is not built: ./dealer install')
    report = {
        'name': 'mobile',
        'timestamp': dt.datetime.now().strftime('%Y%m%d-%H%M%S'),
        'url': args.url, 'profile': args.profile,
        'network': PROFILES[args.profile], 'runs': args.runs,
        'machine': machine(),
        'results': {},
        }
    report['results'].update(sizes())
    profile_dir = tempfile.mkdtemp(prefix='dealer-bench-mobile-')
    driver = browser(profile_dir)
    runs = []
    try:
        driver.execute_cdp_cmd('Network.enable', {})
        for profile in [args.profile, 'none']:
            samples = [one_run(driver, args.url.rstrip('/'), args.database,
                    args.login, profile) for _ in range(args.runs)]
            runs.append((profile, samples))
    finally:
        driver.quit()
        shutil.rmtree(profile_dir, ignore_errors=True)
    for profile, samples in runs:
        suffix = '' if profile == args.profile else f'_{profile}'
        for key in samples[0]:
            values = [s[key] for s in samples]
            report['results'][key + suffix] = round(
                statistics.median(values), 1)
            report['results'][key + suffix + '_max'] = round(max(values), 1)
    results = report['results']
    results['first_load_within_budget'] = (
        results['first_load_ms'] < BUDGET_MS)
    results['app_code_within_budget'] = (
        results['app_code_gzip_kib'] < BUDGET_KIB)
    print(f"phone app on {args.profile} ({args.runs} cold runs, median "
        f"and max; floor without throttling in the last column)")
    for key in ['first_load_ms', 'login_to_home_ms', 'tap_to_customers_ms',
            'cold_customers_ms', 'first_load_kib']:
        print(f'  {key:24} {results[key]:9.1f} {results[key + "_max"]:9.1f}'
            f' {results[key + "_none"]:9.1f}')
    for key in ['app_code_kib', 'app_code_gzip_kib', 'first_load_code_kib',
            'first_load_code_gzip_kib']:
        print(f'  {key:24} {results[key]:9.1f}')
    print(f'  first load under {BUDGET_MS} ms: '
        f'{results["first_load_within_budget"]}; app code under '
        f'{BUDGET_KIB} KiB gzipped: {results["app_code_within_budget"]}')
    print(f'[bench] written to {write_results(report)}')


if __name__ == '__main__':
    main()
