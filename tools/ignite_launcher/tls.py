"""TLS material for the test nodes (a CA, server key and trust stores, client PEMs) and the
client-side TLS context."""
import shlex
import shutil
import ssl
import subprocess
from pathlib import Path
from typing import Dict

from .common import CLIENT_KEY_PASSWORD, KEYSTORE_PASSWORD, LauncherError, _file_lock, _java_tool

_SSL_FILES = {
    'ca': 'ca.crt',
    'ca_key': 'ca.key',
    'server_jks': 'server.jks',
    'trust_jks': 'trust.jks',
    'client_cert': 'client.crt',
    'client_key': 'client.key',
    'client_full': 'client_full.pem',
    'client_key_encrypted': 'client_enc.key',
    'client_with_pass_full': 'client_with_pass_full.pem',
    'untrusted_full': 'untrusted_full.pem',
}

_SERVER_EXT = ('basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n'
               'extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n')
_CLIENT_EXT = ('basicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n'
               'extendedKeyUsage=clientAuth\n')


def ensure_ssl_material(directory: Path) -> Dict[str, Path]:
    """Create (once) a CA, server and client certificates in ``directory``.

    Server side: ``server.jks`` (key + cert) and ``trust.jks`` (the CA), both with password
    ``KEYSTORE_PASSWORD``. Client side: ``client_full.pem`` (key + cert),
    ``client_with_pass_full.pem`` (key encrypted with ``CLIENT_KEY_PASSWORD`` + cert), ``ca.crt``,
    and ``untrusted_full.pem``, a self-signed key + cert the server must refuse.

    :return: name -> path, see the module's ``_SSL_FILES`` for the names.
    """
    directory = Path(directory)
    paths = {name: directory / fname for name, fname in _SSL_FILES.items()}
    done = directory / '.complete'
    with _file_lock(directory.parent / '.ssl.lock'):
        if done.is_file() and all(p.is_file() for p in paths.values()):
            return paths
        shutil.rmtree(directory, ignore_errors=True)
        directory.mkdir(parents=True)

        def run(*args: str) -> None:
            proc = subprocess.run(args, cwd=directory, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            if proc.returncode != 0:
                raise LauncherError(f'{shlex.join(args)} failed: '
                                    + proc.stdout.decode('utf-8', 'replace')[-1500:])

        (directory / 'server.ext').write_text(_SERVER_EXT)
        (directory / 'client.ext').write_text(_CLIENT_EXT)
        days = '3650'
        run('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', days,
            '-subj', '/CN=pyignite-test-ca', '-keyout', 'ca.key', '-out', 'ca.crt')
        for name in ('server', 'client'):
            run('openssl', 'req', '-newkey', 'rsa:2048', '-nodes', '-sha256',
                '-subj', f'/CN=pyignite-test-{name}', '-keyout', f'{name}.key',
                '-out', f'{name}.csr')
            run('openssl', 'x509', '-req', '-in', f'{name}.csr',
                '-CA', 'ca.crt', '-CAkey', 'ca.key',
                '-CAcreateserial', '-days', days, '-sha256', '-extfile', f'{name}.ext',
                '-out', f'{name}.crt')
        run('openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', days,
            '-subj', '/CN=pyignite-untrusted', '-keyout', 'untrusted.key', '-out', 'untrusted.crt')
        # SslContextFactory unlocks the private key with the keystore password, so they match.
        run('openssl', 'pkcs12', '-export', '-passout', f'pass:{KEYSTORE_PASSWORD}',
            '-name', 'server', '-inkey', 'server.key', '-in', 'server.crt',
            '-certfile', 'ca.crt', '-out', 'server.p12')
        keytool = _java_tool('keytool')
        run(keytool, '-importkeystore', '-noprompt', '-srckeystore', 'server.p12',
            '-srcstoretype', 'PKCS12', '-srcstorepass', KEYSTORE_PASSWORD,
            '-destkeystore', 'server.jks', '-deststoretype', 'JKS',
            '-deststorepass', KEYSTORE_PASSWORD, '-destkeypass', KEYSTORE_PASSWORD)
        run(keytool, '-importcert', '-noprompt', '-trustcacerts', '-alias', 'ca', '-file', 'ca.crt',
            '-keystore', 'trust.jks', '-storetype', 'JKS', '-storepass', KEYSTORE_PASSWORD)
        run('openssl', 'pkey', '-in', 'client.key', '-aes256',
            '-passout', f'pass:{CLIENT_KEY_PASSWORD}', '-out', 'client_enc.key')

        def concat(target: str, *sources: str) -> None:
            (directory / target).write_text(''.join((directory / s).read_text() for s in sources))

        concat('client_full.pem', 'client.key', 'client.crt')
        concat('client_with_pass_full.pem', 'client_enc.key', 'client.crt')
        concat('untrusted_full.pem', 'untrusted.key', 'untrusted.crt')
        done.write_text('ok\n')
        return paths


def client_ssl_context(ssl_files: Dict[str, Path], client_cert: bool = True,
                       verify: bool = True) -> ssl.SSLContext:
    """A client-side TLS context for the test nodes.

    :param client_cert: present ``client_full.pem`` (needed by client-auth nodes).
    :param verify: check the server certificate against the test CA.
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # Nodes are reached by IP; the certificate names it, but not every caller uses that name.
    ctx.check_hostname = False
    if verify:
        ctx.load_verify_locations(cafile=str(ssl_files['ca']))
    else:
        ctx.verify_mode = ssl.CERT_NONE
    if client_cert:
        ctx.load_cert_chain(str(ssl_files['client_full']))
    return ctx
