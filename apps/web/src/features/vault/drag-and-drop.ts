// React Aria's drag and drop, a module of its own so it loads after the vault page shows
// (with-drag-and-drop.tsx).
export { useDragAndDrop } from 'react-aria-components'
