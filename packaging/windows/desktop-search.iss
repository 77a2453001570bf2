; Inno Setup 6 script: the Windows installer, from the one-folder app PyInstaller builds on Windows.
;   python -m PyInstaller --noconfirm pyinstaller.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\desktop-search.iss    -> dist\desktop-search-0.1.0-setup.exe
; Built by .github/workflows/package.yml on a Windows runner; it cannot be built or tried on the
; Linux machines this project is developed on.
; The index lives in %LOCALAPPDATA%\desktop-search (platformdirs) and stays when the app is
; uninstalled, as on Linux.

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=X.Y.Z
#endif

[Setup]
AppId=desktop-search
AppName=Desktop Search
AppVersion={#AppVersion}
AppPublisher=Desktop Search developers
DefaultDirName={autopf}\Desktop Search
DefaultGroupName=Desktop Search
DisableProgramGroupPage=yes
; Per-user by default (no administrator needed); the dialog offers all users.
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
SourceDir=..\..
OutputDir=dist
OutputBaseFilename=desktop-search-{#AppVersion}-setup
Compression=lzma2/fast
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\desktop-search.exe
UninstallDisplayName=Desktop Search

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "dist\desktop-search\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Desktop Search"; Filename: "{app}\desktop-search.exe"
Name: "{autodesktop}\Desktop Search"; Filename: "{app}\desktop-search.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\desktop-search.exe"; Description: "{cm:LaunchProgram,Desktop Search}"; Flags: nowait postinstall skipifsilent
