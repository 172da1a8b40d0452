import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(r"__version__ = '([^']+)'",
                    (HERE / 'pyignite' / '__init__.py').read_text()).group(1)


def requirements(name):
    lines = (HERE / 'requirements' / name).read_text().splitlines()
    return [line for line in lines if line.strip() and not line.startswith(('#', '-'))]


setup(
    name='pyignite',
    version=VERSION,
    description='A fast thin client for Apache Ignite 2.x',
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    license='Apache License 2.0',
    packages=find_packages(include=['pyignite', 'pyignite.*']),
    package_data={'pyignite': ['py.typed']},
    python_requires='>=3.8',
    install_requires=requirements('install.txt'),
    extras_require={'tests': requirements('tests.txt'), 'docs': requirements('docs.txt'),
                    # the SQLAlchemy dialect, pyignite.sqlalchemy
                    'sqlalchemy': requirements('sqlalchemy.txt')},
    entry_points={'sqlalchemy.dialects': ['ignite = pyignite.sqlalchemy:IgniteDialect',
                                          'ignite.pyignite = pyignite.sqlalchemy:IgniteDialect']},
    classifiers=[
        'Programming Language :: Python :: 3',
        'License :: OSI Approved :: Apache Software License',
        'Topic :: Database :: Front-Ends',
        'Framework :: AsyncIO',
        'Typing :: Typed',
    ],
)
