"""A NukeViet-4-shaped news module: the install schema (src/modules/news/action_mysql.php of
NukeViet 4.x) and a dump writer, for tests and the import benchmark."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pymysql.converters import escape_item

SCHEMA = """
CREATE TABLE {p}_cat (
  catid smallint(5) unsigned NOT NULL AUTO_INCREMENT, parentid smallint(5) unsigned NOT NULL DEFAULT '0',
  title varchar(250) NOT NULL, titlesite varchar(250) DEFAULT '', alias varchar(250) NOT NULL DEFAULT '',
  description text, descriptionhtml text, image varchar(255) DEFAULT '', viewdescription tinyint(2) NOT NULL DEFAULT '0',
  weight smallint(5) unsigned NOT NULL DEFAULT '0', sort smallint(5) NOT NULL DEFAULT '0', lev smallint(5) NOT NULL DEFAULT '0',
  viewcat varchar(50) NOT NULL DEFAULT 'viewcat_page_new', numsubcat smallint(5) NOT NULL DEFAULT '0',
  subcatid varchar(255) DEFAULT '', numlinks tinyint(2) unsigned NOT NULL DEFAULT '3', newday tinyint(2) unsigned NOT NULL DEFAULT '2',
  featured int(11) NOT NULL DEFAULT '0', ad_block_cat varchar(255) NOT NULL DEFAULT '', keywords text, admins text,
  add_time int(11) unsigned NOT NULL DEFAULT '0', edit_time int(11) unsigned NOT NULL DEFAULT '0',
  groups_view varchar(255) DEFAULT '', status smallint(4) NOT NULL DEFAULT '1',
  PRIMARY KEY (catid), UNIQUE KEY alias (alias), KEY parentid (parentid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE {p}_sources (
  sourceid mediumint(8) unsigned NOT NULL AUTO_INCREMENT, title varchar(250) NOT NULL DEFAULT '',
  link varchar(255) DEFAULT '', logo varchar(255) DEFAULT '', weight mediumint(8) unsigned NOT NULL DEFAULT '0',
  add_time int(11) unsigned NOT NULL, edit_time int(11) unsigned NOT NULL,
  PRIMARY KEY (sourceid), UNIQUE KEY title (title)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE {p}_rows (
  id int(11) unsigned NOT NULL auto_increment, catid smallint(5) unsigned NOT NULL default '0',
  listcatid varchar(255) NOT NULL default '', topicid smallint(5) unsigned NOT NULL default '0',
  admin_id mediumint(8) unsigned NOT NULL default '0', author varchar(250) default '',
  sourceid mediumint(8) NOT NULL default '0', addtime int(11) unsigned NOT NULL default '0',
  edittime int(11) unsigned NOT NULL default '0', status tinyint(4) NOT NULL default '1',
  weight int(11) unsigned NOT NULL default '0', publtime int(11) unsigned NOT NULL default '0',
  exptime int(11) unsigned NOT NULL default '0', archive tinyint(1) unsigned NOT NULL default '0',
  title varchar(250) NOT NULL default '', alias varchar(250) NOT NULL default '', hometext text NOT NULL,
  homeimgfile varchar(255) default '', homeimgalt varchar(255) default '', homeimgthumb tinyint(4) NOT NULL default '0',
  inhome tinyint(1) unsigned NOT NULL default '0', allowed_comm varchar(255) default '',
  allowed_rating tinyint(1) unsigned NOT NULL default '0', external_link tinyint(1) unsigned NOT NULL default '0',
  hitstotal mediumint(8) unsigned NOT NULL default '0', hitscm mediumint(8) unsigned NOT NULL default '0',
  total_rating int(11) NOT NULL default '0', click_rating int(11) NOT NULL default '0',
  PRIMARY KEY (id), KEY catid (catid), KEY publtime (publtime), KEY status (status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE {p}_detail (
  id int(11) unsigned NOT NULL, titlesite varchar(255) NOT NULL DEFAULT '', description text NOT NULL,
  bodyhtml longtext NOT NULL, voicedata text NULL DEFAULT NULL, keywords varchar(255) default '',
  sourcetext varchar(255) default '', files TEXT NULL, imgposition tinyint(1) NOT NULL default '1',
  layout_func varchar(100) DEFAULT '', copyright tinyint(1) NOT NULL default '0',
  allowed_send tinyint(1) NOT NULL default '0', allowed_print tinyint(1) NOT NULL default '0',
  allowed_save tinyint(1) NOT NULL default '0', auto_nav tinyint(1) NOT NULL default '0',
  group_view VARCHAR(255) NULL DEFAULT '', PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE {p}_tags (
  tid mediumint(8) unsigned NOT NULL AUTO_INCREMENT, numnews mediumint(8) NOT NULL DEFAULT '0',
  alias varchar(250) NOT NULL DEFAULT '', image varchar(255) DEFAULT '', description text,
  keywords varchar(255) DEFAULT '', PRIMARY KEY (tid), UNIQUE KEY alias (alias)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE {p}_tags_id (
  id int(11) NOT NULL, tid mediumint(9) NOT NULL, keyword varchar(65) NOT NULL,
  UNIQUE KEY id_tid (id,tid), KEY tid (tid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE {p}_authorlist (
  id int(11) NOT NULL, aid mediumint(8) NOT NULL, alias varchar(100) NOT NULL DEFAULT '',
  pseudonym varchar(100) NOT NULL DEFAULT '', UNIQUE KEY id_aid (id, aid), KEY aid (aid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
"""


@dataclass
class Row:
    id: int
    catid: int
    title: str
    alias: str
    publtime: int
    bodyhtml: str = "<p>Nội dung.</p>"
    hometext: str = ""
    listcatid: str = ""
    homeimgfile: str = ""
    homeimgalt: str = ""
    status: int = 1
    exptime: int = 0
    archive: int = 0
    sourceid: int = 0
    author: str = ""
    hitstotal: int = 0
    sourcetext: str = ""
    edittime: int = 0
    addtime: int = 0
    tags: list[int] = field(default_factory=list)
    detail: bool = True


def _values(items) -> str:
    return "(" + ", ".join(escape_item(v, "utf8mb4") for v in items) + ")"


def write_dump(path: Path, prefix: str, cats, sources, tags, rows: list[Row], authors=()) -> Path:
    """An SQL dump (as phpMyAdmin or mysqldump would give) of the news module's tables."""
    out = [SCHEMA.format(p=prefix)]
    out.append(f"INSERT INTO {prefix}_cat (catid, parentid, title, alias, weight, add_time, edit_time) VALUES\n"
               + ",\n".join(_values((c, parent, title, alias, c, 0, 0)) for c, parent, title, alias in cats) + ";")
    if sources:
        out.append(f"INSERT INTO {prefix}_sources (sourceid, title, link, add_time, edit_time) VALUES\n"
                   + ",\n".join(_values((s, title, "", 0, 0)) for s, title in sources) + ";")
    if tags:
        out.append(f"INSERT INTO {prefix}_tags (tid, alias, keywords) VALUES\n"
                   + ",\n".join(_values((t, alias, keyword)) for t, alias, keyword in tags) + ";")
    keywords = {t: keyword for t, _alias, keyword in tags}
    for start in range(0, len(rows), 500):
        chunk = rows[start:start + 500]
        out.append(
            f"INSERT INTO {prefix}_rows (id, catid, listcatid, author, sourceid, addtime, edittime, status, publtime, "
            "exptime, archive, title, alias, hometext, homeimgfile, homeimgalt, hitstotal) VALUES\n"
            + ",\n".join(_values((r.id, r.catid, r.listcatid or str(r.catid), r.author, r.sourceid, r.addtime or r.publtime,
                                  r.edittime, r.status, r.publtime, r.exptime, r.archive, r.title, r.alias, r.hometext,
                                  r.homeimgfile, r.homeimgalt, r.hitstotal)) for r in chunk) + ";")
        details = [r for r in chunk if r.detail]
        if details:
            out.append(f"INSERT INTO {prefix}_detail (id, description, bodyhtml, sourcetext) VALUES\n"
                       + ",\n".join(_values((r.id, "", r.bodyhtml, r.sourcetext)) for r in details) + ";")
        links = [(r.id, t, keywords[t]) for r in chunk for t in r.tags]
        if links:
            out.append(f"INSERT INTO {prefix}_tags_id (id, tid, keyword) VALUES\n"
                       + ",\n".join(_values(link) for link in links) + ";")
    if authors:
        out.append(f"INSERT INTO {prefix}_authorlist (id, aid, alias, pseudonym) VALUES\n"
                   + ",\n".join(_values(a) for a in authors) + ";")
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path
