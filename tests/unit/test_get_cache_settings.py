"""``get_cache`` takes a cache name only, with one rule (and one message) for both clients."""
import pytest

from pyignite import AioClient, Client
from pyignite._ops import cache_admin
from pyignite.datatypes.prop_codes import PROP_BACKUPS_NUMBER, PROP_NAME
from pyignite.exceptions import ParameterError

BAD_SETTINGS = [
    ({PROP_NAME: 'c', PROP_BACKUPS_NUMBER: 1}, 'Only cache name allowed as a parameter'),
    ({}, 'You should supply at least cache name'),
    ({PROP_NAME: ''}, 'You should supply at least cache name'),
    (42, 'cache settings must be a name or a dict'),
]


async def _sync_get_cache(settings):
    return Client().get_cache(settings)


async def _aio_get_cache(settings):
    return await AioClient().get_cache(settings)


@pytest.mark.parametrize('get_cache', [_sync_get_cache, _aio_get_cache], ids=['sync', 'aio'])
@pytest.mark.parametrize('settings, message', BAD_SETTINGS)
async def test_both_clients_refuse_the_same_settings_alike(get_cache, settings, message):
    with pytest.raises(ParameterError) as info:
        await get_cache(settings)
    assert str(info.value).startswith(message)
    with pytest.raises(ParameterError) as shared:
        cache_admin.name_only(settings)
    assert str(shared.value) == str(info.value)


@pytest.mark.parametrize('get_cache', [_sync_get_cache, _aio_get_cache], ids=['sync', 'aio'])
async def test_a_name_alone_is_fine_either_way(get_cache):
    assert (await get_cache('my cache')).name == 'my cache'
    assert (await get_cache({PROP_NAME: 'my cache'})).name == 'my cache'
    assert cache_admin.name_only({PROP_NAME: 'my cache'}) == 'my cache'
