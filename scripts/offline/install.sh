#!/bin/sh
# pilotguide 离线安装（Linux）。用法：sh install.sh 安装文件夹
# 在安装文件夹里建立运行环境（venv），只从本安装包的 wheels/ 安装，不连接网络；
# 再放入范例指南和启动脚本“启动.sh”。
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
VERSIONS="@VERSIONS@"

say() { printf '%s\n' "$*" >&2; }

if [ $# -ne 1 ] || [ -z "$1" ]; then
  say "用法：sh install.sh 安装文件夹（例如 sh install.sh \"\$HOME/pilotguide\"）"
  exit 1
fi
DIR=$1
PYTHON=${PYTHON:-python3}

if ! command -v "$PYTHON" >/dev/null 2>&1; then
  say "找不到 $PYTHON：这台电脑还没有安装 Python。请先按“安装说明.txt”第一步安装 Python（需要 $VERSIONS 中的一个版本），再运行本脚本。"
  exit 1
fi
HAVE=$("$PYTHON" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
case " $VERSIONS " in
  *" $HAVE "*) ;;
  *) say "这台电脑的 Python 是 ${HAVE:-未知版本}，本安装包只带了 Python $VERSIONS 用的文件。请按“安装说明.txt”第一步安装其中一个版本；已装好时，用 PYTHON=python3.12 sh install.sh $DIR 这样的写法指明用哪一个。"
     exit 1 ;;
esac

if [ -e "$DIR" ] && [ -n "$(ls -A "$DIR" 2>/dev/null)" ]; then
  say "文件夹 $DIR 已经存在且不是空的：为避免覆盖其中的文件，请换一个新的文件夹名。"
  exit 1
fi
mkdir -p "$DIR" || { say "无法建立文件夹 $DIR：请检查路径和权限。"; exit 1; }
DIR=$(cd "$DIR" && pwd)
LOG="$DIR/安装日志.txt"

say "正在建立运行环境：$DIR/venv ……"
if ! "$PYTHON" -m venv "$DIR/venv" >"$LOG" 2>&1; then
  say "无法建立运行环境（详情见 $LOG）。Debian/Ubuntu 上请请管理员安装 python3-venv 软件包（例如 apt-get install python3-venv）后再运行本脚本。"
  exit 1
fi

say "正在安装 pilotguide（只用安装包里的文件，不连接网络）……"
# PIP_CONFIG_FILE=/dev/null and --isolated: no pip.conf and no PIP_* variable of this PC adds an index.
if ! PIP_CONFIG_FILE=/dev/null "$DIR/venv/bin/python" -m pip --isolated install --no-index \
     --find-links "$HERE/wheels" --no-cache-dir --disable-pip-version-check --quiet "pilotguide[fonts]" >>"$LOG" 2>&1; then
  say "安装没有完成（详情见 $LOG）。请确认安装包完整解压（wheels 文件夹里应有许多 .whl 文件），再换一个新文件夹重新运行。"
  exit 1
fi

cp -R "$HERE/范例指南" "$DIR/范例指南"
cat >"$DIR/启动.sh" <<START
#!/bin/sh
# 打开一个可以直接使用 pilotguide 命令的终端（在安装文件夹里）。
cd "$DIR"
. "$DIR/venv/bin/activate"
echo "pilotguide 已就绪（\$(pilotguide --version)）。常用命令："
echo "  pilotguide init 本县指南 --base model    在范例指南的基础上开一份本地指南"
echo "  cd 范例指南 && pilotguide build          生成范例指南的站点（在 site/ 文件夹里）"
echo "  pilotguide --help                       查看全部命令"
exec "\${SHELL:-/bin/sh}" -i
START
chmod +x "$DIR/启动.sh"

say "安装完成：$("$DIR/venv/bin/pilotguide" --version)。"
say "以后每次使用，运行 sh \"$DIR/启动.sh\"，在打开的终端里输入 pilotguide 命令即可。"
