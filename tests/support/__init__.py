"""What the tests share: fixtures, loaded once as the pytest plugin ``tests.support.plugin``,
and helpers. Test modules import helpers from here, never from one another.
"""
