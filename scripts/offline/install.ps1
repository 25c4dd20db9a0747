# pilotguide 离线安装（Windows）。用法：install.bat 安装文件夹（由 install.bat 调用）
# 在安装文件夹里建立运行环境（venv），只从本安装包的 wheels 文件夹安装，不连接网络；
# 再放入范例指南和启动脚本“启动 pilotguide.bat”。
param([string]$Folder)
$ErrorActionPreference = "Continue"
$Here = Split-Path -Parent $MyInvocation.MyCommand.Path
$Versions = @(@VERSIONS_PS@)
$Shown = $Versions -join "、"

function Fail([string]$Message) {
    Write-Host $Message -ForegroundColor Red
    exit 1
}

if (-not $Folder) { $Folder = Read-Host "请输入安装文件夹（例如 D:\pilotguide）" }
if (-not $Folder) { Fail "没有给出安装文件夹。用法：install.bat 安装文件夹（例如 install.bat D:\pilotguide）" }

# Python: the py launcher with a bundled version (newest first), else python on PATH.
$Py = $null
if (Get-Command py -ErrorAction SilentlyContinue) {
    foreach ($v in ($Versions | Sort-Object { [version]$_ } -Descending)) {
        & py "-$v" -c "import sys" 2>$null | Out-Null
        if ($LASTEXITCODE -eq 0) { $Py = @("py", "-$v"); break }
    }
}
if (-not $Py -and (Get-Command python -ErrorAction SilentlyContinue)) {
    $have = & python -c "import sys; print('%d.%d' % sys.version_info[:2])" 2>$null
    if ($Versions -contains "$have") { $Py = @("python") }
}
if (-not $Py) {
    Fail "找不到可用的 Python（本安装包需要 Python $Shown 中的一个版本）。请先按“安装说明.txt”第一步安装 Python，再运行 install.bat。"
}
function Run-Python([string[]]$Arguments) {
    if ($Py.Count -gt 1) { & $Py[0] $Py[1] @Arguments } else { & $Py[0] @Arguments }
}

if ((Test-Path -LiteralPath $Folder) -and (Get-ChildItem -LiteralPath $Folder -Force | Select-Object -First 1)) {
    Fail "文件夹 $Folder 已经存在且不是空的：为避免覆盖其中的文件，请换一个新的文件夹名。"
}
New-Item -ItemType Directory -Force -Path $Folder | Out-Null
if (-not $?) { Fail "无法建立文件夹 $Folder：请检查路径和权限。" }
$Dir = (Resolve-Path -LiteralPath $Folder).Path
$Log = Join-Path $Dir "安装日志.txt"

Write-Host "正在建立运行环境：$Dir\venv ……"
Run-Python @("-m", "venv", (Join-Path $Dir "venv")) *> $Log
if ($LASTEXITCODE -ne 0) { Fail "无法建立运行环境（详情见 $Log）。请确认 Python 安装完整，再换一个新文件夹重新运行。" }

Write-Host "正在安装 pilotguide（只用安装包里的文件，不连接网络）……"
# PIP_CONFIG_FILE=nul and --isolated: no pip.ini and no PIP_* variable of this PC adds an index.
$env:PIP_CONFIG_FILE = "nul"
& (Join-Path $Dir "venv\Scripts\python.exe") -m pip --isolated install --no-index --find-links (Join-Path $Here "wheels") `
    --no-cache-dir --disable-pip-version-check --quiet "pilotguide[fonts]" *>> $Log
if ($LASTEXITCODE -ne 0) {
    Fail "安装没有完成（详情见 $Log）。请确认安装包已全部解压（wheels 文件夹里应有许多 .whl 文件），再换一个新文件夹重新运行。"
}

Copy-Item -Recurse -LiteralPath (Join-Path $Here "范例指南") -Destination (Join-Path $Dir "范例指南")

# The start script is read by cmd in the PC's own code page (GBK on a Chinese Windows): "Default".
$Start = @"
@echo off
cd /d "%~dp0"
call "%~dp0venv\Scripts\activate.bat"
echo pilotguide 已就绪。常用命令：
echo   pilotguide init 本县指南 --base model    在范例指南的基础上开一份本地指南
echo   cd 范例指南 ^&^& pilotguide build          生成范例指南的站点（在 site 文件夹里）
echo   pilotguide --help                       查看全部命令
cmd /k
"@
Set-Content -LiteralPath (Join-Path $Dir "启动 pilotguide.bat") -Value $Start -Encoding Default

$version = & (Join-Path $Dir "venv\Scripts\pilotguide.exe") --version
Write-Host "安装完成：$version。" -ForegroundColor Green
Write-Host "以后每次使用，双击 $Dir 里的“启动 pilotguide.bat”，在打开的窗口里输入 pilotguide 命令即可。"
exit 0
