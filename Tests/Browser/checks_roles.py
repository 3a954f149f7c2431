"""What a regional manager sees (a viewer's refusals are in checks_live, while an alert is open)."""

from console_checks import check

def manager(context):
    user = context.user("regional_manager")
    return user, set(user["regions"])


@check
def regional_manager_overview_counts_only_their_regions(context):
    browser = context.browser
    user, regions = manager(context)
    browser.log_in(user)
    expected = {state: str(count) for state, count in context.expected_counts(regions).items()}
    shown = {state: browser.text(f'[data-tally="{state}"]') for state in expected}
    assert shown == expected, f"a manager of {sorted(regions)} sees {shown}, their devices are {expected}"
    page = browser.driver.find_element("id", "main").text
    for branch in context.branches_in():
        if branch["region"] not in regions:
            assert branch["display_name"] not in page, f"the overview shows {branch['display_name']} to a manager of {sorted(regions)}"
    return f"up/down/unknown = {shown['up']}/{shown['down']}/{shown['unknown']} for {', '.join(sorted(regions))}"


@check
def regional_manager_devices_list_shows_only_their_regions(context):
    browser = context.browser
    _, regions = manager(context)
    context.needs("devices")
    browser.open("/devices")
    listed = set(browser.driver.execute_script(
        "return [...document.querySelectorAll('#main [data-device]')].map((e) => e.dataset.device);"))
    names = {d["id"]: d["name"] for d in context.devices_in()}
    expected = {d["id"] for d in context.devices_in(regions)}
    assert listed == expected, (f"a manager of {sorted(regions)} is listed {sorted(names.get(i, i) for i in listed)}, "
                                f"their devices are {sorted(names[i] for i in expected)}")
    return f"{len(listed)} devices listed"


@check
def regional_manager_branches_list_shows_only_their_regions(context):
    browser = context.browser
    _, regions = manager(context)
    context.needs("branches")
    browser.open("/branches")
    listed = set(browser.driver.execute_script(
        "return [...document.querySelectorAll('#main [data-branch]')].map((e) => e.dataset.branch);"))
    names = {b["id"]: b["name"] for b in context.branches_in()}
    expected = {b["id"] for b in context.branches_in(regions)}
    assert listed == expected, (f"a manager of {sorted(regions)} is listed {sorted(names.get(i, i) for i in listed)}, "
                                f"their branches are {sorted(names[i] for i in expected)}")
    return f"{len(listed)} branches listed"


@check
def regional_manager_cannot_open_a_device_of_another_region(context):
    browser = context.browser
    _, regions = manager(context)
    context.needs("device")
    outside = next(d for d in context.devices_in() if d not in context.devices_in(regions))
    status = browser.status_of(f"/devices/{outside['id']}")
    assert status in (403, 404), f"/devices/{outside['id']} ({outside['name']}) answered {status} to a {sorted(regions)} manager"
    return f"{outside['name']}: {status}"


@check
def regional_manager_map_shows_only_their_regions(context):
    browser = context.browser
    _, regions = manager(context)
    context.needs("map")
    browser.open("/map")
    for branch in context.branches_in():
        shown = branch_on_map(context, branch)
        assert shown == (branch["region"] in regions), \
            f"branch {branch['name']} ({branch['region']}) {'on' if shown else 'missing from'} a {sorted(regions)} manager's map"


def branch_on_map(context, branch):
    """Whether the open map draws a marker for ``branch`` (an element carrying its id)."""
    return context.browser.driver.execute_script(
        "return document.querySelector('#main svg [data-branch=\"' + arguments[0] + '\"]') !== null;", branch["id"])
