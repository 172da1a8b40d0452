"""Credentials that cannot go into a handshake are refused up front, with a clear error."""
import pytest

from pyignite import AioClient, Client
from pyignite._protocol import wire as P
from pyignite.exceptions import ParameterError

LONE_SURROGATES = [
    ({'username': '\ud800', 'password': 'ignite'}, 'username'),
    ({'username': 'ignite', 'password': 'pass\udfffword'}, 'password'),
    ({'username': 'a\udc80', 'password': None}, 'username'),  # checked even if not sent
]


@pytest.mark.parametrize('client_class', [Client, AioClient])
@pytest.mark.parametrize('kwargs, name', LONE_SURROGATES)
def test_lone_surrogate_in_credentials_is_a_parameter_error(client_class, kwargs, name):
    with pytest.raises(ParameterError, match=name) as info:
        client_class(**kwargs)
    message = str(info.value)
    assert 'surrogate' in message
    assert kwargs[name] not in message  # the value (maybe a password) is never shown


@pytest.mark.parametrize('client_class', [Client, AioClient])
def test_credentials_of_another_type_are_a_parameter_error(client_class):
    with pytest.raises(ParameterError, match='username should be a str, not bytes'):
        client_class(username=b'ignite', password='ignite')
    with pytest.raises(ParameterError, match='password should be a str, not int'):
        client_class(username='ignite', password=1234)


@pytest.mark.parametrize('client_class', [Client, AioClient])
def test_any_real_text_is_accepted(client_class):
    # non-ASCII, astral-plane characters and NUL are all valid UTF-8 text
    client_class(username='пользователь', password='p\u00e4ss \U0001f511\x00')


def test_the_handshake_frame_refuses_them_too():
    # a Connection made without going through a client (not a stable API) must not
    # leak UnicodeEncodeError either
    with pytest.raises(ParameterError, match='username'):
        P.handshake_request(P.LATEST, '\ud800', 'ignite')
    with pytest.raises(ParameterError, match='password'):
        P.handshake_request(P.LATEST, 'ignite', '\udbff')
    frame = P.handshake_request(P.LATEST, 'юзер', 'ignite')
    assert 'юзер'.encode() in frame
